// Posting a challenge and telling a learner a decision. Commands try right away when a messenger is wired;
// whatever they could not send stays unmarked in Postgres and the cohort scan job sends it (with retries).
import { RecipientUnreachable, type AppContext, type Messenger, type Platform } from '../ports.js';
import type { Challenge, Decision, ReviewItem } from './ports.js';
import { challengePost, decisionMessage } from './views.js';

interface Where {
  id: number;
  platform: Platform;
  externalId: string;
}

const messengerFor = (app: AppContext, platform: Platform, given?: Partial<Record<Platform, Messenger>>): Messenger | undefined =>
  (given ?? app.messengers)?.[platform];

export const challengeKey = (challengeId: number) => `challenge:${challengeId}:post`;
export const reviewKey = (reviewId: number) => `review:${reviewId}:notify`;

/** Posts the challenge in its channel and records the message. Throws what the platform throws. */
export async function postChallenge(app: AppContext, community: Where, challenge: Challenge, zone: string, messengers?: Partial<Record<Platform, Messenger>>): Promise<boolean> {
  const messenger = messengerFor(app, community.platform, messengers);
  if (!messenger || !challenge.channelId) return false;
  const sent = await messenger.sendToChannel(community.externalId, challenge.channelId, challengePost(challenge, zone), challengeKey(challenge.id));
  await app.stores.challenges.markPosted(community.id, challenge.id, sent.ref);
  return true;
}

export type NoticeOutcome = 'sent' | 'unreachable' | 'no-messenger';

/** DMs the learner the decision and marks it told (also when they cannot be reached: retrying cannot help). */
export async function notifyDecision(
  app: AppContext,
  community: Where,
  notice: { reviewId: number; item: ReviewItem; decision: Decision; feedback: string | null },
  messengers?: Partial<Record<Platform, Messenger>>,
): Promise<NoticeOutcome> {
  const messenger = messengerFor(app, community.platform, messengers);
  if (!messenger) return 'no-messenger';
  const { item } = notice;
  try {
    await messenger.sendDirect(
      { communityExternalId: community.externalId, userExternalId: item.learnerExternalId, dmChannelId: item.dmChannelId },
      decisionMessage(item, notice.decision, notice.feedback),
      reviewKey(notice.reviewId),
    );
  } catch (error) {
    if (!(error instanceof RecipientUnreachable)) throw error;
    await app.stores.submissions.markNotified(notice.reviewId, app.clock.now());
    return 'unreachable';
  }
  await app.stores.submissions.markNotified(notice.reviewId, app.clock.now());
  return 'sent';
}
