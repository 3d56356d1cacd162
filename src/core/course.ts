// The course model the rest of the bot works with, independent of how content is stored.

export type PracticeKind = 'practice' | 'experiment';

export interface Question {
  id: string;
  prompt: string;
  choices: string[];
  /** 0-based index into choices. */
  answer: number;
  explanation: string;
}

export interface Lesson {
  id: string;
  title: string;
  minutes: number;
  practice: { kind: PracticeKind; prompt: string };
  quiz: Question[];
  /** Markdown, the common subset both Discord and Slack can show. */
  body: string;
}

export interface ChallengeTemplate {
  id: string;
  title: string;
  points: number;
  suggestedDays: number;
  acceptance: string[];
  body: string;
}

export interface Course {
  id: string;
  title: string;
  description: string;
  /** In teaching order. */
  lessons: Lesson[];
  challenges: ChallengeTemplate[];
}

/** Fast lookups over a loaded course; built once at start-up. */
export interface CourseIndex {
  course: Course;
  lessonAt(position: number): Lesson | undefined;
  lesson(id: string): Lesson | undefined;
  question(id: string): { lesson: Lesson; question: Question; index: number } | undefined;
}

export function indexCourse(course: Course): CourseIndex {
  const lessons = new Map(course.lessons.map((l) => [l.id, l]));
  const questions = new Map<string, { lesson: Lesson; question: Question; index: number }>();
  for (const lesson of course.lessons) {
    lesson.quiz.forEach((question, index) => questions.set(question.id, { lesson, question, index }));
  }
  return {
    course,
    lessonAt: (position) => course.lessons[position],
    lesson: (id) => lessons.get(id),
    question: (id) => questions.get(id),
  };
}
