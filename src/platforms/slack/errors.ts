// Reading Slack Web API errors by their documented codes (instanceof breaks across package copies).

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
  return { message: redactTokens(message), ...(slackError ? { slackError } : {}) };
}

/** Blanks anything shaped like a Slack token. */
export function redactTokens(text: string): string {
  return text.replace(/\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g, '$1-[redacted]');
}
