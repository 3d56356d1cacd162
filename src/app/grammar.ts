// The text grammar Slack and the playground share: `/learn <verb> [args]`.
import type { InboundRequest } from './inbound.js';
import { findCommand } from './commands/index.js';

/** Turns "start Europe/Berlin 09:00" into a command request with named args. */
export function parseCommandText(text: string): Extract<InboundRequest, { type: 'command' }> {
  const trimmed = text.trim();
  const [verbToken = 'help', ...tokens] = trimmed.split(/\s+/).filter(Boolean);
  const verb = verbToken.toLowerCase();
  const command = findCommand(verb);
  if (!command) return { type: 'command', verb, args: {} };
  const args: Record<string, string | undefined> = {};
  command.params.forEach((param, i) => {
    const isRest = command.restParam && i === command.params.length - 1;
    args[param] = isRest ? tokens.slice(i).join(' ') || undefined : tokens[i];
  });
  if (!command.restParam && tokens.length > command.params.length) args._extra = tokens.slice(command.params.length).join(' ');
  return { type: 'command', verb, args };
}
