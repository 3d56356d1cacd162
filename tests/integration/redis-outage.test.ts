// Redis going away under a running job engine: one log line for the outage (not one per reconnect attempt
// of every connection), one when it is back, and the minute tick and deliveries resuming by themselves,
// even though the restarted Redis came back empty (its job schedulers gone).
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobEngine } from '../../src/jobs/engine.js';
import { TestClock, testApp, type RecordingLog } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startJobs } from '../support/jobs.js';
import { RecordingMessenger } from '../support/recording-messenger.js';
import { RedisServer } from '../support/redis-server.js';

let database: TestDatabase;
let server: RedisServer;
let engine: JobEngine | null = null;
let watcher: Redis | null = null;

beforeAll(async () => {
  [database, server] = await Promise.all([createTestDatabase(), RedisServer.start()]);
});
afterEach(async () => {
  watcher?.disconnect();
  watcher = null;
  await server.start().catch(() => {}); // running again, so a close left over from a failure can finish
  await engine?.close();
  engine = null;
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A client with ioredis's default retries, counting its failed reconnects: the pace of every engine connection. */
function reconnectCounter(url: string): { failures: () => number } {
  let failures = 0;
  watcher = new Redis(url, { maxRetriesPerRequest: null });
  watcher.on('error', () => void (failures += 1));
  return { failures: () => failures };
}

const outageLines = (log: RecordingLog) => log.entries.filter((e) => /unreachable/.test(e.msg ?? ''));
const recoveryLines = (log: RecordingLog) => log.entries.filter((e) => /reachable again/.test(e.msg ?? ''));

describe('Redis outage under the job engine', () => {
  it('logs the outage once and its end once, and delivers a lesson that fell due while Redis was down', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const clock = new TestClock(new Date('2026-05-04T06:00:00Z'));
    const t = await testApp(database, clock);
    const messenger = new RecordingMessenger();
    const lessons = () => messenger.to('ada').filter((s) => s.reply.title?.startsWith('Lesson'));
    const url = `${server.url}/0`;
    engine = startJobs(database, t.app, t.log, messenger, { redisUrl: url }).engine;
    await t.learn('ada', 'start UTC 09:00');

    // Before the outage: the minute tick (a job scheduler in Redis) runs on its own and delivers lesson 2.
    clock.set('2026-05-05T09:01:00Z');
    await engine.scheduleRecurring();
    await until('lesson 2', () => lessons().length === 1);
    const counter = reconnectCounter(url);
    await until('the counter to connect', () => watcher?.status === 'ready');

    await server.stop();
    await until('the outage to be logged', () => outageLines(t.log).length > 0);
    // Every engine connection has failed to reconnect several times by now (five clients, each as often as this one).
    await until('six failed reconnects', () => counter.failures() >= 6);
    expect(outageLines(t.log)).toHaveLength(1);
    expect(outageLines(t.log)[0]!.msg).toContain(`127.0.0.1:${server.port}`);
    expect(t.log.entries.filter((e) => e.level !== 'info')).toEqual(outageLines(t.log));
    expect(consoleError).not.toHaveBeenCalled();

    // Lesson 3 falls due during the outage; Redis returns empty, with no minute tick scheduled.
    clock.set('2026-05-06T09:01:00Z');
    await server.start();
    await until('the recovery line', () => recoveryLines(t.log).length === 1);
    await until('lesson 3 after the outage', () => lessons().length === 2);
    expect(lessons()[1]!.reply.title).toContain('Lesson 3 of');
    expect(outageLines(t.log)).toHaveLength(1);
    expect(t.log.entries.filter((e) => e.level !== 'info')).toEqual(outageLines(t.log));
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();

    // Right after an outage some connections may still wait out their retry delay: closing must not hang on them.
    const closing = Date.now();
    await engine.close();
    engine = null;
    expect(Date.now() - closing).toBeLessThan(3_000);
    expect(t.log.entries.filter((e) => e.level === 'warn')).toEqual([]);
  }, 90_000);

  it('closes within seconds while Redis is down (SIGTERM must not wait out the grace period)', async () => {
    const clock = new TestClock(new Date('2026-05-04T06:00:00Z'));
    const t = await testApp(database, clock);
    engine = startJobs(database, t.app, t.log, new RecordingMessenger(), { redisUrl: `${server.url}/1` }).engine;
    await engine.scheduleRecurring();
    await server.stop();
    await until('the outage to be logged', () => outageLines(t.log).length > 0);
    const closing = Date.now();
    const closed = engine.close().then(() => true);
    const bound = new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000).unref());
    expect(await Promise.race([closed, bound])).toBe(true);
    expect(Date.now() - closing).toBeLessThan(3_000);
    engine = null;
  }, 60_000);
});
