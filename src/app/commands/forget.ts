// `/learn forget` asks first; the Delete button confirms, and only as that person's very next request within
// 5 minutes by the app clock. Any other request in between (a command, a button, a form, the Home tab) disarms it.
//
// Where the arming lives: on the learner's row (learners.forget_armed_at), not only in the button. "Nothing
// else since" must be known by whichever process handles the person's next request, on any platform; an
// expiry signed into the button could say when it was made, never what the person did after. Every request
// reads the learner's row anyway (dispatch), so noticing an arming costs nothing and only an armed learner's
// next request writes. The button carries the arming's instant: a button of an earlier arming cannot confirm
// a later one, and the delete happens only while that arming stands, so a request that disarmed it in another
// process first wins. The quiz's hot path (recent-answer.ts) skips the read; its answer statement refuses an
// armed learner, which sends the answer down the usual path, which disarms.
import type { Reply } from '../../core/reply.js';
import { mayActFor } from '../../core/permissions.js';
import { noArgs } from '../args.js';
import { defineCommand, type RequestContext } from '../command.js';
import type { InboundRequest } from '../inbound.js';
import { parseAction } from '../actions.js';
import type { AppContext, FoundLearner } from '../ports.js';
import { Refusal } from '../refusal.js';

export const FORGET_CONFIRM_MS = 5 * 60_000;

const EXPIRED =
  '⌛ That confirmation expired (it works for 5 minutes), so nothing was deleted. To delete everything, run `/learn forget` again and press **Delete everything** straight away.';
const CANCELLED =
  'Nothing was deleted: you did something else after asking, which cancelled the confirmation. To delete everything, run `/learn forget` again and press **Delete everything** next.';

export const forget = defineCommand({
  verb: 'forget',
  summary: 'Delete all your data (asks first)',
  usage: 'forget',
  params: [],
  args: noArgs,
  async run(ctx) {
    if (!ctx.learner) throw new Refusal('I have no data about you, so there is nothing to delete.');
    const armedAt = ctx.app.clock.now();
    await ctx.app.stores.learners.armForget(ctx.learner.id, armedAt);
    return {
      text:
        '⚠️ This deletes **all** your data: progress, answers, reviews, practice notes and streak. It cannot be undone.\n' +
        'To confirm, press **Delete everything** within 5 minutes, before doing anything else. Want a copy first? Run `/learn export`, then `/learn forget` again.',
      actions: [[{ action: { kind: 'forget', learnerId: ctx.learner.id, armedAt: armedAt.getTime() }, label: 'Delete everything', style: 'danger' }]],
      ephemeral: true,
    };
  },
});

/** A button whose data is gone: after `/learn forget`, the old lesson and quiz buttons land here. */
export function dataGone(ctx: RequestContext): Refusal {
  return new Refusal(
    ctx.learner
      ? 'That button is from before your data was deleted, so nothing changed. Use `/learn today` for your current lesson.'
      : 'Your data here was deleted, so this button no longer does anything. Run `/learn start` to begin again.',
  );
}

/** The one request that leaves an arming standing: the learner pressing their own Delete button. */
function confirming(request: InboundRequest, learnerId: number): boolean {
  if (request.type !== 'action') return false;
  const action = parseAction(request.actionId);
  return action?.kind === 'forget' && action.learnerId === learnerId;
}

/** Called by dispatch for every request, with the learner it read: anything else disarms a pending forget. */
export async function disarmForgetUnlessConfirming(app: AppContext, learner: FoundLearner | null, request: InboundRequest): Promise<void> {
  if (learner?.forgetArmedAt && !confirming(request, learner.id)) await app.stores.learners.disarmForget(learner.id);
}

/** The confirmation button: only the person it was shown to, as their next request, within 5 minutes. */
export async function confirmForget(ctx: RequestContext, learnerId: number, armedAt: number): Promise<Reply> {
  const { learners } = ctx.app.stores;
  if (!mayActFor(ctx.actor, learnerId)) {
    if (!(await learners.exists(learnerId))) throw dataGone(ctx);
    throw new Refusal('That button was meant for someone else, so nothing was deleted.');
  }
  // Measured from the arming the button names (the delete below checks it is the one stored).
  if (ctx.app.clock.now().getTime() - armedAt >= FORGET_CONFIRM_MS) {
    await learners.disarmForget(learnerId);
    throw new Refusal(EXPIRED);
  }
  if (!(await learners.removeIfArmed(learnerId, new Date(armedAt)))) {
    await learners.disarmForget(learnerId);
    throw new Refusal(CANCELLED);
  }
  return { text: '🗑️ Done: everything I stored about you is deleted. `/learn start` if you ever want to come back.', update: true, ephemeral: true };
}
