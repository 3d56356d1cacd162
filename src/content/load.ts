import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import type { z } from 'zod';
import type { ChallengeTemplate, Course, Lesson } from '../core/course.js';
import { LIMITS } from './limits.js';
import { challengeFrontMatterSchema, courseFileSchema, lessonFrontMatterSchema } from './schema.js';

/** One thing an author must fix, named by file and field. */
export interface ContentProblem {
  file: string;
  field?: string;
  message: string;
}

export interface LoadResult {
  course?: Course;
  problems: ContentProblem[];
}

const yamlEngine = { yaml: { parse: (s: string) => YAML.parse(s) as object, stringify: (o: object) => YAML.stringify(o) } };
const LESSON_FILE = /^(\d{2,3})-([a-z0-9-]+)\.md$/;

function zodProblems(file: string, error: z.ZodError): ContentProblem[] {
  return error.issues.map((issue) => ({
    file,
    field: issue.path.length ? issue.path.join('.') : undefined,
    message: issue.message,
  }));
}

async function readFront(file: string): Promise<{ data: unknown; body: string } | ContentProblem> {
  try {
    const parsed = matter(await readFile(file, 'utf8'), { engines: yamlEngine });
    return { data: parsed.data, body: parsed.content.trim() };
  } catch (error) {
    return { file, message: `front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Markdown that Discord or Slack cannot show. */
function bodyProblems(file: string, body: string, max: number): ContentProblem[] {
  const problems: ContentProblem[] = [];
  if (body.length === 0) problems.push({ file, field: 'body', message: 'is empty; write the lesson below the front matter' });
  if (body.length > max) problems.push({ file, field: 'body', message: `is ${body.length} characters; shorten it to at most ${max}` });
  const outsideCode = body.replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
  if (/^ {0,3}#{1,6}\s/m.test(outsideCode)) problems.push({ file, field: 'body', message: 'uses a Markdown heading; Slack cannot show headings, use **bold** instead' });
  if (/^\|.*\|\s*$/m.test(outsideCode)) problems.push({ file, field: 'body', message: 'uses a table; neither Discord nor Slack shows tables, use a list instead' });
  if (/<\/?[a-z][^>]*>/i.test(outsideCode.replace(/`[^`]*`/g, ''))) problems.push({ file, field: 'body', message: 'contains HTML; use Markdown only' });
  if (/!\[[^\]]*\]\(/.test(outsideCode)) problems.push({ file, field: 'body', message: 'embeds an image; link to it instead' });
  return problems;
}

async function loadLessons(dir: string, problems: ContentProblem[]): Promise<Map<string, { lesson: Lesson; file: string; number: number }>> {
  const lessons = new Map<string, { lesson: Lesson; file: string; number: number }>();
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.md')).sort();
  for (const name of names) {
    const file = path.join(dir, name);
    const match = LESSON_FILE.exec(name);
    if (!match) {
      problems.push({ file, message: 'file name must be NN-lesson-id.md (for example 04-high-performance.md)' });
      continue;
    }
    const front = await readFront(file);
    if ('message' in front) {
      problems.push(front);
      continue;
    }
    const parsed = lessonFrontMatterSchema.safeParse(front.data);
    problems.push(...bodyProblems(file, front.body, LIMITS.bodyMax));
    if (!parsed.success) {
      problems.push(...zodProblems(file, parsed.error));
      continue;
    }
    const { id } = parsed.data;
    if (id !== match[2]) problems.push({ file, field: 'id', message: `is "${id}" but the file name says "${match[2]}"; rename the file or fix the id` });
    if (lessons.has(id)) {
      problems.push({ file, field: 'id', message: `"${id}" is also used by ${lessons.get(id)!.file}; lesson ids must be unique` });
      continue;
    }
    lessons.set(id, { lesson: { ...parsed.data, body: front.body }, file, number: Number(match[1]) });
  }
  return lessons;
}

async function loadChallenges(dir: string, problems: ContentProblem[]): Promise<ChallengeTemplate[]> {
  const challenges: ChallengeTemplate[] = [];
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.md')).sort();
  for (const name of names) {
    const file = path.join(dir, name);
    const front = await readFront(file);
    if ('message' in front) {
      problems.push(front);
      continue;
    }
    const parsed = challengeFrontMatterSchema.safeParse(front.data);
    problems.push(...bodyProblems(file, front.body, LIMITS.challengeBodyMax));
    if (!parsed.success) {
      problems.push(...zodProblems(file, parsed.error));
      continue;
    }
    const { suggested_days: suggestedDays, ...rest } = parsed.data;
    if (`${rest.id}.md` !== name) problems.push({ file, field: 'id', message: `is "${rest.id}"; name the file ${rest.id}.md` });
    if (challenges.some((c) => c.id === rest.id)) problems.push({ file, field: 'id', message: `"${rest.id}" is used twice; challenge ids must be unique` });
    challenges.push({ ...rest, suggestedDays, body: front.body });
  }
  return challenges;
}

/** Course-wide rules: order, unique question ids, balanced answer positions. */
function courseProblems(courseFile: string, order: string[], lessons: Map<string, { lesson: Lesson; file: string; number: number }>): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const listed = new Set<string>();
  order.forEach((id, i) => {
    if (listed.has(id)) problems.push({ file: courseFile, field: `lessons.${i}`, message: `lists "${id}" twice` });
    listed.add(id);
    const entry = lessons.get(id);
    if (!entry) {
      problems.push({ file: courseFile, field: `lessons.${i}`, message: `lists "${id}" but there is no lessons/NN-${id}.md` });
    } else if (entry.number !== i + 1) {
      problems.push({ file: entry.file, message: `is lesson ${i + 1} in course.yaml; number the file ${String(i + 1).padStart(2, '0')}-${id}.md` });
    }
  });
  for (const [id, { file }] of lessons) {
    if (!listed.has(id)) problems.push({ file, message: `is not listed in course.yaml; add "${id}" to lessons in teaching order` });
  }
  const questionOwners = new Map<string, string>();
  const positions: number[] = [];
  for (const { lesson, file } of lessons.values()) {
    lesson.quiz.forEach((q, i) => {
      const owner = questionOwners.get(q.id);
      if (owner) problems.push({ file, field: `quiz.${i}.id`, message: `"${q.id}" is also used in ${owner}; question ids must be unique in the course` });
      questionOwners.set(q.id, file);
      positions.push(q.answer);
    });
  }
  const lessonList = [...lessons.values()];
  const experiments = lessonList.filter(({ lesson }) => lesson.practice.kind === 'experiment').length;
  if (lessonList.length >= 6 && experiments / lessonList.length < LIMITS.experimentShareMin) {
    problems.push({
      file: courseFile,
      field: 'practice kinds',
      message: `only ${experiments} of ${lessonList.length} lessons are experiments; make at least a third of them experiments (practice.kind: experiment)`,
    });
  }
  if (positions.length >= 10) {
    const counts = new Map<number, number>();
    for (const p of positions) counts.set(p, (counts.get(p) ?? 0) + 1);
    for (const [position, count] of counts) {
      const share = count / positions.length;
      if (share > LIMITS.answerPositionShareMax) {
        problems.push({
          file: courseFile,
          field: 'quiz answers',
          message: `${Math.round(share * 100)}% of the right answers are choice ${position + 1}; move some so no position holds more than ${LIMITS.answerPositionShareMax * 100}%`,
        });
      }
    }
  }
  return problems;
}

/** Loads and lints one course directory (content/<course>). */
export async function loadCourse(courseDir: string): Promise<LoadResult> {
  const problems: ContentProblem[] = [];
  const courseFile = path.join(courseDir, 'course.yaml');
  let raw: unknown;
  try {
    raw = YAML.parse(await readFile(courseFile, 'utf8'));
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing; every course needs a course.yaml' : `is not valid YAML: ${(error as Error).message.split('\n')[0]}`;
    return { problems: [{ file: courseFile, message }] };
  }
  const meta = courseFileSchema.safeParse(raw);
  if (!meta.success) return { problems: zodProblems(courseFile, meta.error) };

  const lessons = await loadLessons(path.join(courseDir, 'lessons'), problems);
  const challenges = await loadChallenges(path.join(courseDir, 'challenges'), problems);
  problems.push(...courseProblems(courseFile, meta.data.lessons, lessons));
  if (problems.length > 0) return { problems };
  return {
    course: {
      id: meta.data.id,
      title: meta.data.title,
      description: meta.data.description,
      lessons: meta.data.lessons.map((id) => lessons.get(id)!.lesson),
      challenges,
    },
    problems,
  };
}

/** Every course under content/. */
export async function listCourseDirs(contentDir: string): Promise<string[]> {
  const entries = await readdir(contentDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => path.join(contentDir, e.name)).sort();
}

export function formatProblem(p: ContentProblem): string {
  return `${p.file}${p.field ? ` (${p.field})` : ''}: ${p.message}`;
}
