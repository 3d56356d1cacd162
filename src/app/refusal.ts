import type { Reply } from '../core/reply.js';

/** An expected "no" (not enrolled, already answered, bad zone): shown to the user, not logged as a bug. */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly extra: Omit<Reply, 'text'> = {},
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
