/** A job that can never succeed by retrying (missing platform, bad payload); the jobs layer stops retrying it. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
