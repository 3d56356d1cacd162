import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadCourse, type ContentProblem } from '../../src/content/load.js';
import { LIMITS } from '../../src/content/limits.js';

interface QuestionFixture {
  id: string;
  prompt?: string;
  choices?: string[];
  answer?: number;
  explanation?: string;
}

interface LessonFixture {
  id: string;
  title?: string;
  minutes?: number;
  practice?: { kind: string; prompt: string };
  quiz?: Partial<QuestionFixture>[];
}

const BODY = 'A short lesson with **bold** text, a [link](https://example.com) and `inline code`.\n\n- one\n- two';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'content-lint-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Three good questions with ids `<lesson>-q1..3` and the given right-answer positions. */
function questions(lessonId: string, answers: readonly number[] = [0, 1, 2]): QuestionFixture[] {
  return answers.map((answer, i) => ({
    id: `${lessonId}-q${i + 1}`,
    prompt: `Question ${i + 1} about ${lessonId}?`,
    choices: ['Alpha', 'Bravo', 'Charlie', 'Delta'],
    answer,
    explanation: 'Because that is how it works.',
  }));
}

function lesson(id: string, overrides: Partial<LessonFixture> = {}): LessonFixture {
  return {
    id,
    title: `Lesson ${id}`,
    minutes: 3,
    practice: { kind: 'practice', prompt: 'Try it on your machine.' },
    quiz: questions(id),
    ...overrides,
  };
}

function markdown(front: unknown, body = BODY): string {
  return `---\n${YAML.stringify(front)}---\n${body}\n`;
}

async function write(rel: string, text: string): Promise<string> {
  const file = path.join(root, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function writeCourse(order: string[]): Promise<string> {
  return write('course.yaml', YAML.stringify({ id: 'fixture', title: 'Fixture course', description: 'For tests.', lessons: order }));
}

/** Writes lessons as 01-<id>.md, 02-<id>.md, ... and a course.yaml listing them in that order. */
async function writeLessons(lessons: { front: unknown; body?: string; id: string }[]): Promise<string[]> {
  await writeCourse(lessons.map((l) => l.id));
  return Promise.all(lessons.map((l, i) => write(`lessons/${String(i + 1).padStart(2, '0')}-${l.id}.md`, markdown(l.front, l.body))));
}

const plain = (...ids: string[]) => ids.map((id) => ({ id, front: lesson(id) }));

const challenge = (overrides: Record<string, unknown> = {}) => ({
  id: 'ship-it',
  title: 'Ship it',
  points: 50,
  suggested_days: 7,
  acceptance: ['It runs', 'It has a test'],
  ...overrides,
});

async function problemsOf(): Promise<ContentProblem[]> {
  return (await loadCourse(root)).problems;
}

describe('loadCourse on a valid course', () => {
  it('loads with no problems, lessons in course.yaml order', async () => {
    const ids = ['intro', 'http-basics', 'databases', 'caching'];
    // Right answers rotate through all four positions: 25% each over 12 questions.
    await writeLessons(ids.map((id, i) => ({ id, front: lesson(id, { quiz: questions(id, [i % 4, (i + 1) % 4, (i + 2) % 4]) }) })));
    await write('challenges/ship-it.md', markdown(challenge(), 'Build it and post a link.'));

    const { course, problems } = await loadCourse(root);
    expect(problems).toEqual([]);
    expect(course?.id).toBe('fixture');
    expect(course?.lessons.map((l) => l.id)).toEqual(ids);
    expect(course?.lessons[1]?.quiz.map((q) => q.id)).toEqual(['http-basics-q1', 'http-basics-q2', 'http-basics-q3']);
    expect(course?.lessons[0]?.body).toBe(BODY);
    expect(course?.challenges).toEqual([
      { id: 'ship-it', title: 'Ship it', points: 50, suggestedDays: 7, acceptance: ['It runs', 'It has a test'], body: 'Build it and post a link.' },
    ]);
  });

  it('accepts a # comment inside a fenced code block', async () => {
    const body = 'Run this:\n\n```sh\n# list files\nls -la\n```\n\nThen look at the output.';
    await writeLessons([{ id: 'shell', front: lesson('shell'), body }]);
    expect(await problemsOf()).toEqual([]);
  });

  it('accepts HTML-like text inside inline code and code blocks', async () => {
    const body = 'Return `<h1>` from the handler:\n\n```html\n<div>hi</div>\n```';
    await writeLessons([{ id: 'html-in-code', front: lesson('html-in-code'), body }]);
    expect(await problemsOf()).toEqual([]);
  });

  it('accepts a body of exactly the limit and a choice of exactly the limit', async () => {
    const quiz = questions('edge');
    quiz[0]!.choices = ['Alpha', 'Bravo', 'c'.repeat(LIMITS.choiceMax)];
    await writeLessons([{ id: 'edge', front: lesson('edge', { quiz }), body: 'b'.repeat(LIMITS.bodyMax) }]);
    expect(await problemsOf()).toEqual([]);
  });
});

describe('loadCourse question rules', () => {
  it('flags an answer index out of range', async () => {
    const quiz = questions('q');
    quiz[1]!.answer = 4;
    const [file] = await writeLessons([{ id: 'q', front: lesson('q', { quiz }) }]);
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, field: 'quiz.1.answer', message: expect.stringMatching(/only 4 choices/) }));
  });

  it('flags duplicate choices, ignoring case and spaces', async () => {
    const quiz = questions('q');
    quiz[0]!.choices = ['Use a cache', 'Add an index', 'use a CACHE '];
    const [file] = await writeLessons([{ id: 'q', front: lesson('q', { quiz }) }]);
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, field: 'quiz.0.choices.2', message: expect.stringMatching(/repeats/) }));
  });

  it('flags a missing explanation', async () => {
    const quiz = questions('q');
    delete quiz[2]!.explanation;
    const [file] = await writeLessons([{ id: 'q', front: lesson('q', { quiz }) }]);
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, field: 'quiz.2.explanation' }));
  });

  it('flags a choice over the length limit', async () => {
    const quiz = questions('q');
    quiz[0]!.choices = ['Alpha', 'c'.repeat(LIMITS.choiceMax + 1)];
    const [file] = await writeLessons([{ id: 'q', front: lesson('q', { quiz }) }]);
    expect(await problemsOf()).toContainEqual(
      expect.objectContaining({ file, field: 'quiz.0.choices.1', message: expect.stringContaining(String(LIMITS.choiceMax)) }),
    );
  });

  it('flags fewer than 3 questions', async () => {
    const [file] = await writeLessons([{ id: 'q', front: lesson('q', { quiz: questions('q', [0, 1]) }) }]);
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, field: 'quiz', message: expect.stringMatching(/at least 3/) }));
  });

  it('flags a question id used in two lessons', async () => {
    const second = questions('b');
    second[1]!.id = 'a-q2';
    const [first, file] = await writeLessons([
      { id: 'a', front: lesson('a') },
      { id: 'b', front: lesson('b', { quiz: second }) },
    ]);
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, field: 'quiz.1.id', message: expect.stringContaining(first!) }));
  });
});

describe('loadCourse body rules', () => {
  const bodyProblem = async (body: string) => {
    const [file] = await writeLessons([{ id: 'b', front: lesson('b'), body }]);
    const problems = await problemsOf();
    return { file, problems };
  };

  it('flags a body over 1500 characters', async () => {
    const { file, problems } = await bodyProblem('w'.repeat(LIMITS.bodyMax + 1));
    expect(problems).toContainEqual(expect.objectContaining({ file, field: 'body', message: expect.stringContaining('1501') }));
  });

  it('flags a Markdown heading', async () => {
    const { file, problems } = await bodyProblem('Intro.\n\n## Details\n\nMore text.');
    expect(problems).toContainEqual(expect.objectContaining({ file, field: 'body', message: expect.stringMatching(/heading/) }));
  });

  it('flags a heading after a code block', async () => {
    const { file, problems } = await bodyProblem('```sh\n# fine\n```\n\n# Not fine');
    expect(problems).toContainEqual(expect.objectContaining({ file, field: 'body', message: expect.stringMatching(/heading/) }));
  });

  it('flags a table', async () => {
    const { file, problems } = await bodyProblem('Compare:\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(problems).toContainEqual(expect.objectContaining({ file, field: 'body', message: expect.stringMatching(/table/) }));
  });

  it('flags HTML', async () => {
    const { file, problems } = await bodyProblem('Some <b>bold</b> text.');
    expect(problems).toContainEqual(expect.objectContaining({ file, field: 'body', message: expect.stringMatching(/HTML/) }));
  });

  it('flags an embedded image', async () => {
    const { file, problems } = await bodyProblem('See ![diagram](https://example.com/d.png).');
    expect(problems).toContainEqual(expect.objectContaining({ file, field: 'body', message: expect.stringMatching(/image/) }));
  });

  it('flags an empty body', async () => {
    const { file, problems } = await bodyProblem('   ');
    expect(problems).toContainEqual(expect.objectContaining({ file, field: 'body', message: expect.stringMatching(/empty/) }));
  });
});

describe('loadCourse file and order rules', () => {
  it('flags a lesson file not listed in course.yaml', async () => {
    await writeLessons(plain('a'));
    const extra = await write('lessons/02-b.md', markdown(lesson('b')));
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file: extra, message: expect.stringMatching(/not listed in course\.yaml/) }));
  });

  it('flags course.yaml listing a missing lesson', async () => {
    await writeLessons(plain('a'));
    const courseFile = await writeCourse(['a', 'ghost']);
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file: courseFile, field: 'lessons.1', message: expect.stringContaining('ghost') }));
  });

  it('flags a file number that does not match the course order', async () => {
    await writeCourse(['a', 'b']);
    await write('lessons/01-a.md', markdown(lesson('a')));
    const file = await write('lessons/03-b.md', markdown(lesson('b')));
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, message: expect.stringContaining('02-b.md') }));
  });

  it('flags a file name without the NN- prefix', async () => {
    await writeLessons(plain('a'));
    const file = await write('lessons/b.md', markdown(lesson('b')));
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, message: expect.stringMatching(/NN-lesson-id\.md/) }));
  });

  it('flags an id that differs from the file name', async () => {
    await writeCourse(['a']);
    const file = await write('lessons/01-a.md', markdown(lesson('other')));
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, field: 'id', message: expect.stringContaining('"other"') }));
  });

  it('flags front matter that is not valid YAML', async () => {
    await writeCourse(['a']);
    const file = await write('lessons/01-a.md', `---\nid: a\ntitle: [unclosed\n  minutes: : 3\n---\n${BODY}\n`);
    const problems = await problemsOf();
    expect(problems).toContainEqual(expect.objectContaining({ file, message: expect.stringMatching(/not valid YAML/) }));
  });

  it('reports a missing course.yaml', async () => {
    expect(await problemsOf()).toEqual([{ file: path.join(root, 'course.yaml'), message: expect.stringMatching(/missing/) }]);
  });

  it('returns no course when there are problems', async () => {
    await writeLessons(plain('a'));
    await writeCourse(['a', 'ghost']);
    expect((await loadCourse(root)).course).toBeUndefined();
  });
});

describe('loadCourse answer-position balance', () => {
  /** Lessons of three questions whose right answers are `positions`, in order. */
  async function withAnswers(positions: number[]): Promise<string> {
    const lessons = [];
    for (let i = 0; i * 3 < positions.length; i++) {
      const id = `l${i + 1}`;
      lessons.push({ id, front: lesson(id, { quiz: questions(id, positions.slice(i * 3, i * 3 + 3)) }) });
    }
    await writeLessons(lessons);
    return path.join(root, 'course.yaml');
  }

  it('flags more than 40% of answers at one position once there are 10 or more', async () => {
    const courseFile = await withAnswers([0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 1]); // 7 of 15 at choice 1
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file: courseFile, field: 'quiz answers', message: expect.stringMatching(/47%.*choice 1/) }));
  });

  it('allows exactly 40%', async () => {
    await withAnswers([0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]); // 6 of 15
    expect(await problemsOf()).toEqual([]);
  });

  it('ignores imbalance below 10 questions', async () => {
    await withAnswers([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(await problemsOf()).toEqual([]);
  });
});

describe('loadCourse experiment share', () => {
  const course = (experiments: number) =>
    writeLessons(
      Array.from({ length: 6 }, (_, i) => {
        const id = `e${i + 1}`;
        const kind = i < experiments ? 'experiment' : 'practice';
        return { id, front: lesson(id, { practice: { kind, prompt: 'Try it and watch what breaks.' } }) };
      }),
    );

  it('flags a course where fewer than a third of the lessons are experiments', async () => {
    await course(1);
    expect(await problemsOf()).toContainEqual(
      expect.objectContaining({ field: 'practice kinds', message: expect.stringContaining('only 1 of 6 lessons are experiments') }),
    );
  });

  it('accepts exactly a third', async () => {
    await course(2);
    expect(await problemsOf()).toEqual([]);
  });
});

describe('loadCourse challenge templates', () => {
  it('flags schema errors by field', async () => {
    await writeLessons(plain('a'));
    const file = await write('challenges/ship-it.md', markdown(challenge({ points: 0, acceptance: [], extra: true }), 'Do it.'));
    const problems = await problemsOf();
    for (const field of ['points', 'acceptance']) expect(problems).toContainEqual(expect.objectContaining({ file, field }));
    expect(problems).toContainEqual(expect.objectContaining({ file, message: expect.stringMatching(/extra/) }));
  });

  it('flags a missing suggested_days', async () => {
    await writeLessons(plain('a'));
    const { suggested_days: _omitted, ...front } = challenge();
    const file = await write('challenges/ship-it.md', markdown(front, 'Do it.'));
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, field: 'suggested_days' }));
  });

  it('flags a challenge id that differs from its file name', async () => {
    await writeLessons(plain('a'));
    const file = await write('challenges/other-name.md', markdown(challenge(), 'Do it.'));
    expect(await problemsOf()).toContainEqual(expect.objectContaining({ file, field: 'id', message: expect.stringContaining('ship-it.md') }));
  });
});

describe('the real course', () => {
  it('content/backend-foundations has no problems', async () => {
    const { course, problems } = await loadCourse(path.resolve('content/backend-foundations'));
    expect(problems).toEqual([]);
    expect(course?.lessons.length).toBeGreaterThan(0);
  });
});
