// `/learn challenges`: open challenges in this community and where my submission stands.
import { formatDeadline } from '../../core/deadlines.js';
import type { Button } from '../../core/reply.js';
import { noArgs } from '../args.js';
import type { Submission } from '../cohort/ports.js';
import { submitButton } from '../cohort/views.js';
import { defineCommand } from '../command.js';

const SHOWN = 5;

function status(submission: Submission | undefined, points: number): string {
  if (!submission) return 'not submitted yet';
  const late = submission.late ? ', late' : '';
  switch (submission.status) {
    case 'pending':
      return `submitted${late}, waiting for review`;
    case 'changes_requested':
      return `changes requested${late}: update and submit again`;
    case 'accepted':
      return `✅ accepted${late}, +${points} points`;
  }
}

export const challengesCommand = defineCommand({
  verb: 'challenges',
  summary: 'Open cohort challenges and where your submissions stand',
  usage: 'challenges',
  params: [],
  args: noArgs,
  async run(ctx) {
    const { stores, defaults } = ctx.app;
    const zone = ctx.learner?.timezone ?? ctx.community.defaultTimezone ?? defaults.timezone;
    const [open, mine] = await Promise.all([
      stores.challenges.list(ctx.community.id, 'open', SHOWN),
      ctx.learner ? stores.submissions.ofLearner(ctx.community.id, ctx.learner.id) : Promise.resolve([]),
    ]);
    if (open.length === 0) return { text: 'No open challenges right now. Your cohort lead posts them in the cohort channel.', ephemeral: true };
    const byChallenge = new Map(mine.map((s) => [s.challengeId, s]));
    const lines = open
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .map((c) => `**#${c.id} ${c.title}** (${c.points} pts) · due ${formatDeadline(c.dueAt, zone)} · ${status(byChallenge.get(c.id), c.points)}`);
    const buttons: Button[][] = open.filter((c) => byChallenge.get(c.id)?.status !== 'accepted').map((c) => [{ ...submitButton(c.id), label: `Submit #${c.id}` }]);
    return { title: 'Cohort challenges', text: lines.join('\n'), actions: buttons.length ? buttons : undefined, ephemeral: true };
  },
});
