// `npm run content:check [dir]`: validates every course under content/ and exits non-zero on any problem.
import path from 'node:path';
import { formatProblem, listCourseDirs, loadCourse } from './load.js';

const contentDir = path.resolve(process.argv[2] ?? 'content');
let failed = 0;
for (const dir of await listCourseDirs(contentDir)) {
  const { course, problems } = await loadCourse(dir);
  for (const problem of problems) console.error(formatProblem({ ...problem, file: path.relative(process.cwd(), problem.file) }));
  if (course) {
    const questions = course.lessons.reduce((n, l) => n + l.quiz.length, 0);
    console.log(`ok ${course.id}: ${course.lessons.length} lessons, ${questions} questions, ${course.challenges.length} challenges`);
  } else {
    failed += 1;
    console.error(`${path.relative(process.cwd(), dir)}: ${problems.length} problem(s) to fix`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
