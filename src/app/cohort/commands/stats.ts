// `/cohort stats`: the numbers in text, and the same numbers as a PNG chart when a renderer is wired.
import { z } from 'zod';
import { summarizeCohort, type QuestionFacts } from '../../../core/cohort-stats.js';
import type { Reply } from '../../../core/reply.js';
import { defineCommand } from '../../command.js';
import { requireLead } from '../lead.js';
import { statsAlt, statsCharts, statsFields } from '../stats-view.js';

export const stats = defineCommand({
  verb: 'stats',
  summary: 'Participation, streaks, quiz accuracy and the hardest questions, who is at risk, reviews pending',
  usage: 'stats',
  params: [],
  args: z.object({}),
  async run(ctx) {
    await requireLead(ctx);
    const { catalog, clock, stores, charts } = ctx.app;
    const facts = await stores.cohortReports.statsFacts(ctx.community.id);
    // Answers to questions no longer in the course have no lesson to file them under.
    const questions = facts.questions.flatMap((q): QuestionFacts[] => {
      const found = catalog.question(q.questionId);
      if (!found) return [];
      const number = catalog.course.lessons.indexOf(found.lesson) + 1;
      return [{ ...q, lessonId: found.lesson.id, lessonTitle: found.lesson.title, lessonNumber: number, prompt: found.question.prompt }];
    });
    const summary = summarizeCohort({ now: clock.now(), learners: facts.learners, questions, pendingReviews: facts.pendingReviews, selfReviewed: facts.selfReviewed });
    const reply: Reply = {
      title: `Cohort stats: ${catalog.course.title}`,
      text: 'How the cohort is doing. `/cohort export` has every number as CSV.',
      fields: statsFields(summary),
      actions: summary.pendingReviews > 0 ? [[{ action: { kind: 'cohort', verb: 'review' }, label: `Review (${summary.pendingReviews})`, style: 'primary' }]] : undefined,
      ephemeral: true,
    };
    if (!charts || summary.learners === 0) return reply;
    const png = await charts.renderPng(statsCharts(summary));
    return { ...reply, images: [{ name: 'cohort-stats.png', data: png, alt: statsAlt(summary) }] };
  },
});
