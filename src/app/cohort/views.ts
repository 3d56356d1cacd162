// Cohort replies built from plain data: the challenge post, list lines, review cards, DMs, the summary.
import { formatDeadline, type ReminderKind } from '../../core/deadlines.js';
import type { Button, Reply } from '../../core/reply.js';
import type { Challenge, ChallengeCounts, Decision, ReviewItem } from './ports.js';

const TEXT_MAX = 1500;
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export const submitButton = (challengeId: number): Button => ({ action: { kind: 'submit', challengeId }, label: 'Submit', style: 'primary' });

/** The post in the cohort channel, with the Submit button. */
export function challengePost(challenge: Challenge, zone: string): Reply {
  const criteria = challenge.acceptance.map((c) => `• ${c}`).join('\n');
  return {
    title: `🏁 Challenge #${challenge.id}: ${challenge.title}`,
    text: clip(challenge.description, TEXT_MAX),
    fields: [
      ...(criteria ? [{ name: 'Done when', value: clip(criteria, 1000) }] : []),
      { name: 'Deadline', value: formatDeadline(challenge.dueAt, zone), inline: true },
      { name: 'Points', value: String(challenge.points), inline: true },
    ],
    actions: [[submitButton(challenge.id)]],
  };
}

export function countsText(c: ChallengeCounts): string {
  return `${c.submitted} submitted${c.late ? ` (${c.late} late)` : ''}, ${c.accepted} accepted, ${c.pending} to review`;
}

export function challengeLine(challenge: Challenge & ChallengeCounts, zone: string): string {
  const state = challenge.status === 'open' ? `due ${formatDeadline(challenge.dueAt, zone)}` : 'closed';
  return `**#${challenge.id} ${challenge.title}** (${challenge.points} pts) · ${state} · ${countsText(challenge)}`;
}

/** One pending submission as a lead reviews it; `own` marks the lead's own (a self-review, no points). */
export function reviewText(item: ReviewItem, zone: string, own = false): string {
  const late = item.late ? ' · ⏰ late' : '';
  const self = own ? ' · 🪞 your own: accepting it is a self-review (flagged, no points)' : '';
  const link = item.link ? `\n🔗 ${item.link}` : '';
  const note = item.note ? `\n> ${clip(item.note, 300).replaceAll('\n', '\n> ')}` : '';
  return `**${item.learnerName}** on **#${item.challengeId} ${item.challengeTitle}** · submitted ${formatDeadline(item.submittedAt, zone)}${late}${self}${link}${note}`;
}

export function reviewButtons(item: ReviewItem, own = false): Button[] {
  const who = clip(item.learnerName, 40);
  return [
    { action: { kind: 'accept', submissionId: item.submissionId }, label: own ? `Accept ${who} (self-review)` : `Accept ${who}`, style: 'success' },
    { action: { kind: 'changes', submissionId: item.submissionId }, label: `Request changes (${who})`, style: 'secondary' },
  ];
}

/** The DM a learner gets when a lead decides. */
export function decisionMessage(item: ReviewItem, decision: Decision, feedback: string | null): Reply {
  const said = feedback ? `\n\nFeedback from your lead:\n> ${clip(feedback, 1000).replaceAll('\n', '\n> ')}` : '';
  if (decision === 'accepted') {
    return {
      text: `🎉 Your submission to **${item.challengeTitle}** was accepted: +${item.points} points.${said}`,
      actions: [[{ action: { kind: 'run', verb: 'leaderboard' }, label: 'Leaderboard' }]],
    };
  }
  return {
    text: `✏️ Your lead asked for changes to your submission to **${item.challengeTitle}**.${said}\n\nUpdate it and submit again; it goes back to the review queue.`,
    actions: [[{ ...submitButton(item.challengeId), label: 'Submit again' }]],
  };
}

export function reminderMessage(challenge: Challenge, kind: ReminderKind, zone: string): Reply {
  const when = kind === '24h' ? 'in about 24 hours' : 'in an hour';
  return {
    text: `⏳ **${challenge.title}** is due ${when} (${formatDeadline(challenge.dueAt, zone)}) and I don't have your submission yet. A link and a line about what you did is enough.`,
    actions: [[submitButton(challenge.id)]],
  };
}

/**
 * What a lead gets when a challenge closes. No button: it often arrives by DM, where a Discord button
 * carries no server and so no lead rights; the command works anywhere in the server.
 */
export function closeSummary(challenge: Challenge, counts: ChallengeCounts): Reply {
  const next = counts.pending > 0 ? `\n${counts.pending} waiting for review: \`/cohort review\`.` : '';
  return { text: `🏁 **#${challenge.id} ${challenge.title}** is closed: ${countsText(counts)}. Late submissions are still taken and marked late.${next}` };
}
