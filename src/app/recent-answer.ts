// The hot path of a quiz: an answer button from someone this process has just seen. The usual path reads
// the learner before anything else; this one uses the learner it remembers for a single write that checks
// them (the answer's own statement verifies person and timezone), so an answer costs one statement, not two.
import type { Reply } from '../core/reply.js';
import { parseAction } from './actions.js';
import { requestContext } from './command.js';
import { answer, StaleLearner } from './commands/quiz.js';
import type { Inbound } from './inbound.js';
import type { AppContext, Community } from './ports.js';
import { Refusal } from './refusal.js';

/** The reply, or null when the usual path must decide: not an answer, nobody remembered, or a stale memory. */
export async function answerAsRecent(app: AppContext, community: Community, inbound: Inbound): Promise<Reply | null> {
  if (inbound.request.type !== 'action') return null;
  const action = parseAction(inbound.request.actionId);
  if (action?.kind !== 'answer') return null;
  const learner = app.stores.learners.recent(community.id, inbound.user.externalId);
  if (!learner) return null;
  try {
    return await answer(requestContext(app, community, inbound, learner), action.deliveryId, action.question, action.choice, true);
  } catch (error) {
    // A refusal is decided again with fresh facts: a remembered learner must never be the reason for one.
    if (error instanceof StaleLearner || error instanceof Refusal) return null;
    throw error;
  }
}
