// Creating a challenge: stored first (Postgres is the truth), then posted to the cohort channel.
import { formatDeadline, reminderSchedule } from '../../core/deadlines.js';
import type { Reply } from '../../core/reply.js';
import type { RequestContext } from '../command.js';
import { Refusal } from '../refusal.js';
import { cohortZone, NO_CHANNEL } from './lead.js';
import type { CohortSettings, NewChallenge } from './ports.js';
import { postChallenge } from './send.js';

export type ChallengeDraft = Pick<NewChallenge, 'templateId' | 'title' | 'description' | 'acceptance' | 'points' | 'dueAt'>;

/** Refuses before any form is filled in when there is nowhere to post. */
export function requireChannel(settings: CohortSettings): string {
  if (!settings.cohortChannelId) throw new Refusal(NO_CHANNEL);
  return settings.cohortChannelId;
}

export async function publishChallenge(ctx: RequestContext, settings: CohortSettings, draft: ChallengeDraft): Promise<Reply> {
  const channelId = requireChannel(settings);
  const zone = cohortZone(ctx, settings);
  const now = ctx.app.clock.now();
  const challenge = await ctx.app.stores.challenges.create({ ...draft, communityId: ctx.community.id, channelId, createdBy: ctx.user.externalId, createdAt: now });
  let posted = false;
  try {
    posted = await postChallenge(ctx.app, ctx.community, challenge, zone);
  } catch {
    // Not lost: the row has no message yet, so the cohort scan posts it (and logs if that fails too).
  }
  const reminders = reminderSchedule(challenge.dueAt, challenge.dueSetAt, zone).map((r) => `${r.kind} before`);
  const where = posted ? 'Posted in the cohort channel' : 'Saved; it will appear in the cohort channel within a couple of minutes';
  return {
    text: [
      `🏁 ${where}: **#${challenge.id} ${challenge.title}** (${challenge.points} points), due ${formatDeadline(challenge.dueAt, zone)}.`,
      reminders.length ? `Learners who haven't submitted get a reminder ${reminders.join(' and ')}.` : 'The deadline is too close for reminders.',
      'It closes itself at the deadline and I DM you a summary. Review with `/cohort review`.',
    ].join('\n'),
    ephemeral: true,
  };
}
