import type { Reply } from '../../core/reply.js';
import type { DeliveryTarget } from '../ports.js';
import type { JobContext } from './context.js';

/** Says once, where the learner enrolled, why messages stopped and how to get them back. */
export async function tellUnreachable(ctx: JobContext, { learner, community }: Omit<DeliveryTarget, 'enrollment'>, reason: string): Promise<void> {
  const first = await ctx.scheduler.markUnreachable(learner.id, ctx.app.clock.now());
  ctx.log.warn({ learner: learner.id, community: community.externalId, reason, told: first }, 'learner cannot be messaged directly');
  const channel = learner.deliveryChannelId ?? community.cohortChannelId;
  if (!first || !channel) return;
  const notice: Reply = {
    text: `${learner.displayName}, I couldn't send you today's lesson by direct message, so daily lessons are paused for you. Allow direct messages from this server (or from the app), then run \`/learn resume\`.`,
    mentionUser: learner.externalId,
  };
  await ctx.messengers[community.platform]?.sendToChannel(community.externalId, channel, notice, `unreachable:${learner.id}`);
}
