// What the HTTP receiver has already taken in: request signatures while their timestamp is inside the
// 5-minute window, and Events API event ids while Slack may still retry them. Memory is bounded.
//
// Several bot processes behind a load balancer each have their own memory, so a replay or a Slack retry
// can land on a process that has not seen the original and be done twice. That is accepted for now:
// replaying needs a request Slack signed, and the work it would repeat is idempotent by key in Postgres
// (a delivery per day, an answer per question), so the cost is at most a second reply. When one URL is
// served by several bot processes, the shared memory belongs in Redis, not Postgres: one SET key NX PX
// round trip with expiry built in, and such deployments run Redis already (ARCHITECTURE: any number of
// bot processes needs REDIS_URL); in Postgres it would be a write and a purge on Slack's 3-second path for
// data worthless after minutes. A Redis version implements SeenRequests (firstTime may return a promise).

export interface SeenRequests {
  /** True the first time `key` is offered (until `expiresAtMs`), false for a repeat. */
  firstTime(key: string, expiresAtMs: number, nowMs: number): boolean | Promise<boolean>;
  /** Forgets `key`, so that Slack's retry of a request that failed here is done after all. */
  forget(key: string): void | Promise<void>;
}

/** At about 100 requests a second for 5 minutes; about 10 MB at most. */
export const RECENT_REQUESTS_MAX = 50_000;

/** The in-process SeenRequests: a Map in insertion order, the oldest dropped first when it is full. */
export class RecentRequests implements SeenRequests {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly max = RECENT_REQUESTS_MAX) {}

  get size(): number {
    return this.expiries.size;
  }

  firstTime(key: string, expiresAtMs: number, nowMs: number): boolean {
    this.purge(nowMs);
    const known = this.expiries.get(key);
    if (known !== undefined && known > nowMs) return false;
    this.expiries.delete(key);
    // Full only under a flood of requests Slack signed: forgetting the oldest beats growing without end.
    while (this.expiries.size >= this.max) this.expiries.delete(this.expiries.keys().next().value!);
    this.expiries.set(key, expiresAtMs);
    return true;
  }

  forget(key: string): void {
    this.expiries.delete(key);
  }

  /** Drops expired entries from the old end; the rest expire when looked up or when they reach it. */
  private purge(nowMs: number): void {
    for (const [key, expiresAt] of this.expiries) {
      if (expiresAt > nowMs) return;
      this.expiries.delete(key);
    }
  }
}
