// One log line when Redis goes away and one when it is back. ioredis emits 'error' on every reconnect
// attempt, on each of its connections (the shared one, and a blocking one per worker), and BullMQ
// re-emits each on every queue and worker that uses it: reported as they come, that is dozens a minute.
import type { Log } from '../app/ports.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** An error that says the connection is gone (and ioredis is retrying), not that a command was wrong. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Stream isn't writeable/.test(error.message);
}

export interface OutageWatch {
  /** A connection failed; logs only the first failure of an outage. */
  failed(error: Error): void;
  /** A connection is ready; ends the outage if there was one (true then). */
  recovered(): boolean;
  readonly down: boolean;
}

export function outageWatch(log: Log, target: string): OutageWatch {
  let since: number | null = null;
  return {
    failed(error) {
      if (since !== null) return;
      since = Date.now();
      log.error({ redis: target, cause: error.message }, `Redis (${target}) is unreachable: ${error.message}. Jobs wait and resume by themselves when it is back; this is logged once per outage.`);
    },
    recovered() {
      if (since === null) return false;
      const seconds = Math.round((Date.now() - since) / 1000);
      since = null;
      log.info({ redis: target, downSeconds: seconds }, `Redis (${target}) is reachable again after ${seconds} s; jobs resume.`);
      return true;
    },
    get down() {
      return since !== null;
    },
  };
}
