// The HTTP receiver's memory of requests already taken in: a repeat is known until it expires, and the
// memory never holds more than its bound, however many requests arrive.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentRequests } from '../../src/platforms/slack/recent-requests.js';

describe('RecentRequests', () => {
  it('knows a key until it expires, and takes it as new after that', () => {
    const seen = new RecentRequests();
    expect(seen.firstTime('a', 1000, 0)).toBe(true);
    expect(seen.firstTime('a', 1000, 999)).toBe(false);
    expect(seen.firstTime('a', 3000, 1000)).toBe(true);
    expect(seen.firstTime('a', 3000, 2000)).toBe(false);
  });

  it('drops expired keys as time passes, and forgets a key on request', () => {
    const seen = new RecentRequests();
    seen.firstTime('old', 100, 0);
    seen.firstTime('newer', 500, 0);
    seen.firstTime('now', 900, 200);
    expect(seen.size).toBe(2);
    seen.forget('newer');
    expect(seen.firstTime('newer', 900, 300)).toBe(true);
  });

  it('never holds more than its bound, forgetting the oldest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.tuple(fc.string({ maxLength: 3 }), fc.nat(100)), { maxLength: 200 }), (max, offers) => {
        const seen = new RecentRequests(max);
        let now = 0;
        for (const [key, ttl] of offers) {
          now += 1;
          seen.firstTime(key, now + ttl, now);
          expect(seen.size).toBeLessThanOrEqual(max);
        }
      }),
    );
    const seen = new RecentRequests(2);
    for (const key of ['a', 'b', 'c']) seen.firstTime(key, 1000, 0);
    expect(seen.firstTime('c', 1000, 1)).toBe(false);
    expect(seen.firstTime('a', 1000, 1)).toBe(true);
  });
});
