// How soon a scheduled send that failed is tried again: seconds at first, then at most a minute apart, so
// a learner has the lesson within a tick or two of the platform coming back, however long it was down.

export const RETRY_FIRST_MS = 10_000;
export const RETRY_MAX_MS = 60_000;

/** The wait after the `attempts`-th failed attempt (1 for the first). */
export function retryDelayMs(attempts: number): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 20);
  return Math.min(RETRY_FIRST_MS * 2 ** exponent, RETRY_MAX_MS);
}
