// Inbound -> command -> Reply. Expected refusals become friendly replies; anything else is a logged bug.
import type { Reply } from '../core/reply.js';
import { parseAction, parseForm } from './actions.js';
import { requestContext, type RequestContext } from './command.js';
import { createFromForm } from './cohort/commands/challenge-new.js';
import { accept, changesForm, requestChanges } from './cohort/commands/review.js';
import { findCohortCommand, unknownCohortVerb } from './cohort/commands/index.js';
import { saveSubmission, submitForm } from './cohort/submit.js';
import { findCommand } from './commands/index.js';
import { confirmForget } from './commands/forget.js';
import { dashboard } from './commands/home.js';
import { logPractice, practiceForm, practiceInput } from './commands/practice.js';
import { answer, ownDelivery, quizStep } from './commands/quiz.js';
import { reviewAnswer } from './commands/review.js';
import type { CommandGroup, Inbound, InboundRequest } from './inbound.js';
import type { AppContext, Log } from './ports.js';
import { answerAsRecent } from './recent-answer.js';
import { Refusal } from './refusal.js';

const APOLOGY = 'Sorry, something went wrong on my side and I could not do that. It has been logged; please try again in a moment.';
const STALE_BUTTON = 'That button is no longer valid (it may be from an older message). Try `/learn today`.';

async function runCommand(ctx: RequestContext, verb: string, rawArgs: Record<string, string | undefined>, group: CommandGroup = 'learn'): Promise<Reply> {
  const command = group === 'cohort' ? findCohortCommand(verb) : findCommand(verb);
  if (!command) throw new Refusal(group === 'cohort' ? unknownCohortVerb(verb) : `I don't know "/learn ${verb}". Try \`/learn help\` to see what I can do.`);
  const { _extra, ...named } = rawArgs;
  const args = command.args.safeParse(Object.fromEntries(Object.entries(named).filter(([, v]) => v !== undefined && v !== '')));
  if (_extra || !args.success) {
    const why = args.success ? `I didn't expect "${_extra}".` : args.error.issues[0]!.message;
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
      return reviewAnswer(ctx, action.questionId, action.choice);
    case 'run':
      return runCommand(ctx, action.verb, {});
    case 'forget':
      return confirmForget(ctx, action.learnerId);
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

async function runForm(ctx: RequestContext, raw: string, fields: Record<string, string | undefined>): Promise<Reply> {
  const form = parseForm(raw);
  if (!form) throw new Refusal(STALE_BUTTON);
  switch (form.kind) {
    case 'practice': {
      const input = practiceInput.safeParse(fields);
      if (!input.success) throw new Refusal(input.error.issues[0]!.message);
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
