// Inbound -> command -> Reply. Expected refusals become friendly replies; anything else is a logged bug.
import type { Reply } from '../core/reply.js';
import { parseAction, parseForm } from './actions.js';
import { requestContext, type RequestContext } from './command.js';
import { createFromForm } from './cohort/commands/challenge-new.js';
import { accept, changesForm, requestChanges } from './cohort/commands/review.js';
import { findCohortCommand, unknownCohortVerb } from './cohort/commands/index.js';
import { saveSubmission, submitForm } from './cohort/submit.js';
import { findCommand } from './commands/index.js';
import { confirmForget, dataGone, disarmForgetUnlessConfirming } from './commands/forget.js';
import { dashboard } from './commands/home.js';
import { logPractice, practiceForm, practiceInput } from './commands/practice.js';
import { answer, ownDelivery, quizStep } from './commands/quiz.js';
import { reviewAnswer } from './commands/review.js';
import type { CommandGroup, Inbound, InboundRequest } from './inbound.js';
import { parseInput, tidyValues } from './input.js';
import type { AppContext, Log } from './ports.js';
import { answerAsRecent } from './recent-answer.js';
import { Refusal } from './refusal.js';

const APOLOGY = 'Sorry, something went wrong on my side and I could not do that. It has been logged; please try again in a moment.';
const STALE_BUTTON = 'That button is no longer valid (it may be from an older message). Try `/learn today`.';

async function runCommand(ctx: RequestContext, verb: string, rawArgs: Record<string, string | undefined>, group: CommandGroup = 'learn'): Promise<Reply> {
  const command = typeof verb === 'string' ? (group === 'cohort' ? findCohortCommand(verb) : findCommand(verb)) : undefined;
  if (!command) throw new Refusal(group === 'cohort' ? unknownCohortVerb(String(verb)) : `I don't know "/learn ${String(verb)}". Try \`/learn help\` to see what I can do.`);
  // Blank and invisible-only values (a lone zero-width space) count as not given.
  const { _extra, ...named } = tidyValues(rawArgs);
  const args = parseInput(command.args, Object.fromEntries(Object.entries(named).filter(([, v]) => v !== undefined && v !== '')));
  if (_extra || !args.ok) {
    const why = args.ok ? `I didn't expect "${String(_extra)}".` : args.message;
    throw new Refusal(`${why}\nUsage: \`/${group} ${command.usage}\``);
  }
  return command.run(ctx, args.data);
}

async function runAction(ctx: RequestContext, raw: string): Promise<Reply> {
  const action = parseAction(raw);
  if (!action) throw new Refusal(STALE_BUTTON);
  switch (action.kind) {
    case 'quiz':
      return { ...(await quizStep(ctx, await ownDelivery(ctx, action.deliveryId))), ephemeral: true };
    case 'answer':
      return answer(ctx, action.deliveryId, action.question, action.choice);
    case 'practice':
      await ownDelivery(ctx, action.deliveryId);
      return practiceForm(action.deliveryId);
    case 'review':
      // Review buttons are only ever shown to a learner: with none here, their data was deleted.
      if (!ctx.learner) throw dataGone(ctx);
      return reviewAnswer(ctx, action.questionId, action.choice);
    case 'run':
      return runCommand(ctx, action.verb, {});
    case 'forget':
      return confirmForget(ctx, action.learnerId, action.armedAt);
    case 'submit':
      return submitForm(ctx, action.challengeId);
    case 'accept':
      return accept(ctx, action.submissionId);
    case 'changes':
      return changesForm(ctx, action.submissionId);
    case 'cohort':
      // `challenge-new` is `/cohort challenge new`; every cohort verb checks the presser is a lead.
      return runCommand(ctx, action.verb.replace('-', ' '), {}, 'cohort');
  }
}

async function runForm(ctx: RequestContext, raw: string, rawFields: Record<string, string | undefined>): Promise<Reply> {
  const form = parseForm(raw);
  if (!form) throw new Refusal(STALE_BUTTON);
  // Tidied here for every form; each form's schema refuses what is not text, in our words.
  const fields = tidyValues(rawFields) as Record<string, string | undefined>;
  switch (form.kind) {
    case 'practice': {
      const input = parseInput(practiceInput, fields);
      if (!input.ok) throw new Refusal(input.message);
      return logPractice(ctx, form.deliveryId, input.data);
    }
    case 'submit':
      return saveSubmission(ctx, form.challengeId, fields);
    case 'changes':
      return requestChanges(ctx, form.submissionId, fields);
    case 'challenge':
      return createFromForm(ctx, fields);
  }
}

function route(ctx: RequestContext, request: InboundRequest): Promise<Reply> {
  switch (request.type) {
    case 'command':
      return runCommand(ctx, request.verb, request.args, request.group);
    case 'action':
      return runAction(ctx, request.actionId);
    case 'form':
      return runForm(ctx, request.formId, request.fields);
    case 'home':
      return dashboard(ctx);
  }
}

export async function dispatch(app: AppContext, log: Log, inbound: Inbound): Promise<Reply> {
  try {
    const community = await app.stores.communities.ensure(inbound.community);
    const quick = await answerAsRecent(app, community, inbound);
    if (quick) return quick;
    const learner = await app.stores.learners.find(community.id, inbound.user.externalId);
    await disarmForgetUnlessConfirming(app, learner, inbound.request);
    return await route(requestContext(app, community, inbound, learner), inbound.request);
  } catch (error) {
    if (error instanceof Refusal) return { ...error.extra, text: error.message, ephemeral: true };
    log.error(
      { err: error, platform: inbound.community.platform, community: inbound.community.externalId, user: inbound.user.externalId, request: describe(inbound.request) },
      'request failed',
    );
    return { text: APOLOGY, ephemeral: true };
  }
}

/** What was asked, without user-typed free text (notes may be private). */
function describe(request: InboundRequest): string {
  switch (request.type) {
    case 'command':
      return `command ${request.group ?? 'learn'} ${request.verb}`;
    case 'action':
      return `action ${request.actionId}`;
    case 'form':
      return `form ${request.formId}`;
    case 'home':
      return 'home';
  }
}
