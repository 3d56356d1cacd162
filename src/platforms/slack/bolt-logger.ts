// Bolt, the Web API client and Socket Mode log through our Log. Their debug output carries request
// bodies (tokens, user text), so it is dropped; everything else is passed on with tokens blanked.
import { LogLevel, type Logger } from '@slack/bolt';
import type { Log } from '../../app/ports.js';
import { redactSecrets } from '../../core/redact.js';

const RANK: Record<LogLevel, number> = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 };

function text(parts: unknown[]): string {
  const rendered = parts.map((part) => {
    if (part instanceof Error) return part.message;
    if (typeof part === 'string') return part;
    try {
      return JSON.stringify(part);
    } catch {
      return String(part);
    }
  });
  return redactSecrets(rendered.join(' '));
}

export function boltLogger(log: Log): Logger {
  let level: LogLevel = LogLevel.INFO;
  let name = 'slack';
  const enabled = (at: LogLevel) => RANK[at] >= RANK[level];
  return {
    debug: () => {},
    info: (...parts: unknown[]) => enabled(LogLevel.INFO) && log.info({ component: name }, text(parts)),
    warn: (...parts: unknown[]) => enabled(LogLevel.WARN) && log.warn({ component: name }, text(parts)),
    error: (...parts: unknown[]) => log.error({ component: name }, text(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}
