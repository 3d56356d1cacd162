// The text grammar Slack and the playground share: `/learn <verb> [args]` and `/cohort <verb> [args]`.
import type { Command } from './command.js';
import { COHORT_GROUPS, findCohortCommand } from './cohort/commands/index.js';
import type { InboundRequest } from './inbound.js';
import { findCommand } from './commands/index.js';

type CommandRequest = Extract<InboundRequest, { type: 'command' }>;

/** Maps the tokens after the verb onto the command's positional params. */
function namedArgs(command: Command<unknown>, tokens: string[]): Record<string, string | undefined> {
  const args: Record<string, string | undefined> = {};
  command.params.forEach((param, i) => {
    const isRest = command.restParam && i === command.params.length - 1;
    args[param] = isRest ? tokens.slice(i).join(' ') || undefined : tokens[i];
  });
  if (!command.restParam && tokens.length > command.params.length) args._extra = tokens.slice(command.params.length).join(' ');
  return args;
}

/**
 * Turns "challenge post cache-slow-endpoint +7d" into a `/cohort` command request. Two-word verbs
 * (challenge ..., leads ...) are matched first; a bare group word lists its subcommands via help.
 */
export function parseCohortText(text: string): CommandRequest {
  const [first = 'help', second, ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const head = first.toLowerCase();
  if ((COHORT_GROUPS as readonly string[]).includes(head)) {
    const verb = second ? `${head} ${second.toLowerCase()}` : head;
    const command = findCohortCommand(verb);
    return { type: 'command', group: 'cohort', verb, args: command ? namedArgs(command, rest) : {} };
  }
  const command = findCohortCommand(head);
  const tokens = second === undefined ? [] : [second, ...rest];
  return { type: 'command', group: 'cohort', verb: head, args: command ? namedArgs(command, tokens) : {} };
}

/** Turns "start Europe/Berlin 09:00" into a command request with named args. */
export function parseCommandText(text: string): CommandRequest {
  const trimmed = text.trim();
  const [verbToken = 'help', ...tokens] = trimmed.split(/\s+/).filter(Boolean);
  const verb = verbToken.toLowerCase();
  const command = findCommand(verb);
  if (!command) return { type: 'command', verb, args: {} };
  return { type: 'command', verb, args: namedArgs(command, tokens) };
}
