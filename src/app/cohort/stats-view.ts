// `/cohort stats` as text (always) and as charts (when a renderer is wired): one source of numbers.
import type { CohortStats } from '../../core/cohort-stats.js';
import type { Field } from '../../core/reply.js';
import type { BarChart } from './ports.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;
const learners = (n: number) => `${n} learner${n === 1 ? '' : 's'}`;
const LESSONS_IN_TEXT = 8;
const AT_RISK_SHOWN = 10;
const SELF_REVIEWED_SHOWN = 5;

/** Shown only when there are any: acceptances by the submitter, for a community with no other lead. */
function selfReviewedField(stats: CohortStats): Field[] {
  const all = stats.selfReviewed;
  if (all.length === 0) return [];
  const lines = all.slice(0, SELF_REVIEWED_SHOWN).map((r) => `🪞 ${r.learnerName}: #${r.challengeId} ${r.challengeTitle}`);
  const more = all.length > SELF_REVIEWED_SHOWN ? `\n…and ${all.length - SELF_REVIEWED_SHOWN} more in the export` : '';
  const head = `${all.length} accepted by the lead who submitted ${all.length === 1 ? 'it' : 'them'} (no other lead to review), so no points:`;
  return [{ name: 'Self-reviewed', value: `${head}\n${lines.join('\n')}${more}` }];
}

export function statsFields(stats: CohortStats): Field[] {
  const share = stats.learners ? ` (${pct(stats.activeThisWeek / stats.learners)})` : '';
  const lessons = stats.lessons.slice(-LESSONS_IN_TEXT).map((l) => `${l.number}. ${l.title}: ${pct(l.accuracy)} of ${l.answered}`);
  const older = stats.lessons.length > LESSONS_IN_TEXT ? `\n…${stats.lessons.length - LESSONS_IN_TEXT} earlier lessons in the chart and the export` : '';
  const hardest = stats.hardest.map((q) => `⚠️ ${pct(q.accuracy)} of ${q.answered}: “${q.prompt.length > 90 ? `${q.prompt.slice(0, 89)}…` : q.prompt}” (${q.lessonTitle})`);
  const atRisk = stats.atRisk.slice(0, AT_RISK_SHOWN).map((l) => `${l.name}: ${l.everActive ? `quiet for ${l.idleDays} days` : `no activity in ${l.idleDays} days since joining`}`);
  const moreAtRisk = stats.atRisk.length > AT_RISK_SHOWN ? `\n…and ${stats.atRisk.length - AT_RISK_SHOWN} more` : '';
  return [
    { name: 'Participation', value: `${learners(stats.learners)}, ${stats.activeThisWeek} active in the last 7 days${share}`, inline: true },
    { name: 'Reviews pending', value: String(stats.pendingReviews), inline: true },
    { name: 'Streaks', value: stats.streaks.map((b) => `${b.label}: ${b.count}`).join(' · ') },
    { name: 'Quiz accuracy per lesson', value: lessons.length ? lessons.join('\n') + older : 'No quiz answers yet.' },
    { name: 'Hardest questions', value: hardest.length ? hardest.join('\n') : 'None flagged (50% or less right, over 3+ answers).' },
    { name: 'At risk (no activity for 3+ days)', value: atRisk.length ? `${learners(stats.atRisk.length)}\n${atRisk.join('\n')}${moreAtRisk}` : 'Nobody. 🎉' },
    ...selfReviewedField(stats),
  ];
}

export function statsCharts(stats: CohortStats): BarChart[] {
  const hardLessons = new Set(stats.hardest.map((q) => q.lessonTitle));
  return [
    {
      title: hardLessons.size ? 'Quiz accuracy per lesson (red: has one of the hardest questions)' : 'Quiz accuracy per lesson',
      unit: 'percent',
      bars: stats.lessons.map((l) => ({ label: `${l.number}. ${l.title}`, value: Math.round(l.accuracy * 100), highlight: hardLessons.has(l.title) })),
    },
    { title: 'Current streaks', unit: 'count', bars: stats.streaks.map((b) => ({ label: b.label, value: b.count })) },
  ];
}

export function statsAlt(stats: CohortStats): string {
  const lessons = stats.lessons.map((l) => `lesson ${l.number} ${pct(l.accuracy)}`).join(', ');
  return `Bar charts. Quiz accuracy per lesson: ${lessons || 'no answers yet'}. Current streaks: ${stats.streaks.map((b) => `${b.label} ${b.count}`).join(', ')}.`;
}
