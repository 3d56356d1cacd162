// `/cohort export`: learners, answers and submissions of this community as three CSV files. Leads only.
import { z } from 'zod';
import { toCsv } from '../../../core/csv.js';
import { defineCommand } from '../../command.js';
import { requireLead } from '../lead.js';
import type { ExportRows } from '../ports.js';

export function exportFiles(rows: ExportRows, stamp: string): { name: string; content: string }[] {
  const learners = toCsv(
    ['learner_id', 'name', 'timezone', 'status', 'joined_at', 'lessons_delivered', 'quizzes_finished', 'answers', 'correct', 'accuracy_pct', 'practice_logs', 'streak_current', 'streak_longest', 'last_active_day', 'challenge_points'],
    rows.learners.map((l) => [
      l.externalId,
      l.name,
      l.timezone,
      l.status,
      l.joinedAt,
      l.lessonsDelivered,
      l.quizzesFinished,
      l.answered,
      l.correct,
      l.answered ? Math.round((l.correct / l.answered) * 100) : null,
      l.practiceLogs,
      l.streakCurrent,
      l.streakLongest,
      l.streakLastActive,
      l.challengePoints,
    ]),
  );
  const answers = toCsv(
    ['learner_id', 'name', 'lesson', 'question', 'choice', 'correct', 'answered_at', 'local_date'],
    rows.answers.map((a) => [a.learnerExternalId, a.learnerName, a.lessonId, a.questionId, a.choice + 1, a.correct, a.answeredAt, a.localDate]),
  );
  const submissions = toCsv(
    // self_reviewed last, so spreadsheets reading the earlier columns by position keep working.
    ['challenge', 'challenge_title', 'learner_id', 'name', 'link', 'note', 'status', 'late', 'submitted_at', 'updated_at', 'reviewer', 'feedback', 'points', 'self_reviewed'],
    rows.submissions.map((s) => [s.challengeId, s.challengeTitle, s.learnerExternalId, s.learnerName, s.link, s.note, s.status, s.late, s.submittedAt, s.updatedAt, s.reviewer, s.feedback, s.points, s.selfReviewed]),
  );
  return [
    { name: `cohort-learners-${stamp}.csv`, content: learners },
    { name: `cohort-answers-${stamp}.csv`, content: answers },
    { name: `cohort-submissions-${stamp}.csv`, content: submissions },
  ];
}

export const cohortExport = defineCommand({
  verb: 'export',
  summary: 'Learners, progress, streaks, answers and submissions as CSV files',
  usage: 'export',
  params: [],
  args: z.object({}),
  async run(ctx) {
    await requireLead(ctx);
    const rows = await ctx.app.stores.cohortReports.exportRows(ctx.community.id);
    const stamp = ctx.app.clock.now().toISOString().slice(0, 10);
    return {
      text: `Cohort export: ${rows.learners.length} learners, ${rows.answers.length} answers, ${rows.submissions.length} submissions. Choices are numbered from 1; times are UTC.`,
      files: exportFiles(rows, stamp),
      ephemeral: true,
    };
  },
});
