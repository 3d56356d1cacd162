// Requests from a direct message carry no community (a Discord DM has no guild). Learners are scoped to a
// community, so the community is found from the person: the one owning the pressed lesson, else where they
// most recently got a lesson. Never a per-user "DM community": that would split a learner's data in two.
import type { Reply } from '../core/reply.js';
import { parseAction, parseForm } from './actions.js';
import { dispatch } from './dispatch.js';
import type { InboundRequest, InboundUser } from './inbound.js';
import type { AppContext, CommunityRef, Log, Platform } from './ports.js';

/** What a payload says it acts on, to pick the right community when a person learns in several. */
export interface OwnerHint {
  deliveryId?: number;
  learnerId?: number;
  /** A challenge button or form: the community the challenge belongs to. */
  challengeId?: number;
}

/** Implemented in db/ (stores/direct.ts). */
export interface DirectLookup {
  /**
   * The community in which `userExternalId` is a learner on `platform`: the one whose learner owns the hinted
   * delivery or is the hinted learner, else the one with their latest lesson (or latest enrolment). Null when
   * they are a learner nowhere.
   */
  communityOf(platform: Platform, userExternalId: string, hint: OwnerHint): Promise<CommunityRef | null>;
}

export const NO_COMMUNITY_YET =
  "I don't know which server you learn in yet. Run `/learn start` in your server first; after that your lessons, quizzes and `/learn` commands work here too.";
// Buttons and forms in a DM only ever come with a lesson or a reply sent to a learner: with no learner left
// anywhere, `/learn forget` deleted them.
export const DELETED_SINCE =
  'Your data was deleted, so this button no longer does anything. Run `/learn start` in your server to begin again.';
const APOLOGY = 'Sorry, something went wrong on my side and I could not do that. It has been logged; please try again in a moment.';

export function ownerHint(request: InboundRequest): OwnerHint {
  if (request.type === 'action') {
    const action = parseAction(request.actionId);
    if (!action) return {};
    if ('deliveryId' in action) return { deliveryId: action.deliveryId };
    if (action.kind === 'forget') return { learnerId: action.learnerId };
    if (action.kind === 'submit') return { challengeId: action.challengeId };
    return {};
  }
  if (request.type === 'form') {
    const form = parseForm(request.formId);
    if (form?.kind === 'submit') return { challengeId: form.challengeId };
    return { deliveryId: form?.deliveryId ?? undefined };
  }
  return {};
}

/** dispatch() for a direct message: finds the community, then runs the request there. Never throws. */
export async function dispatchDirect(
  app: AppContext,
  log: Log,
  lookup: DirectLookup,
  input: { platform: Platform; user: InboundUser; request: InboundRequest },
): Promise<Reply> {
  let community: CommunityRef | null;
  try {
    community = await lookup.communityOf(input.platform, input.user.externalId, ownerHint(input.request));
  } catch (error) {
    log.error({ err: error, platform: input.platform, user: input.user.externalId }, 'finding the community of a direct message failed');
    return { text: APOLOGY, ephemeral: true };
  }
  if (!community) return { text: input.request.type === 'action' || input.request.type === 'form' ? DELETED_SINCE : NO_COMMUNITY_YET, ephemeral: true };
  // Server roles and admin rights mean nothing in a DM.
  const user: InboundUser = { ...input.user, isAdmin: false, roleIds: [] };
  return dispatch(app, log, { community, user, request: input.request });
}
