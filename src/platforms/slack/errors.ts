// Reading Slack Web API errors by their documented codes (instanceof breaks across package copies).
import { redactSecrets } from '../../core/redact.js';

/** The `error` string of an ok:false answer (e.g. "channel_not_found"), or null for other failures. */
export function platformError(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  return code === 'slack_webapi_platform_error' && typeof data?.error === 'string' ? data.error : null;
}

/** Seconds Slack asked us to wait, when the call was refused with 429 (rejectRateLimitedCalls). */
export function rateLimitedFor(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  return code === 'slack_webapi_rate_limited_error' && typeof retryAfter === 'number' ? retryAfter : null;
}

/** What to log about a failure: never the request (it may carry a token), only what went wrong. */
export function describeError(error: unknown): { message: string; slackError?: string } {
  const slackError = platformError(error) ?? undefined;
  const message = error instanceof Error ? error.message : String(error);
  return { message: redactSecrets(message), ...(slackError ? { slackError } : {}) };
}


/** Slack answers that say the call may have done part of its work before failing. */
const MAYBE_DONE = new Set(['internal_error', 'fatal_error', 'request_timeout']);

/**
 * Whether a failed post certainly did nothing: Slack refused it (ok:false with a code, 429) or its edge
 * answered 502/503. A timeout, a reset connection, 500, 504 or internal_error may have posted.
 */
export function certainlyNotPosted(error: unknown): boolean {
  if (rateLimitedFor(error) !== null) return true;
  const code = platformError(error);
  if (code) return !MAYBE_DONE.has(code);
  if (typeof error !== 'object' || error === null) return false;
  const { code: kind, statusCode } = error as { code?: unknown; statusCode?: unknown };
  return kind === 'slack_webapi_http_error' && (statusCode === 502 || statusCode === 503);
}
