// npm run bench:outage: 10,000 learners due in the same minute while the platform is down for 30 minutes,
// on the simulated clock: the real tick and delivery job, real BullMQ on Redis and real Postgres; the
// platform is an in-process fake that refuses sends (as a 503 does), times them out, or posts and loses
// the answer. Prints lessons lost and doubled, minutes from recovery to the last delivery and send
// attempts per lesson, beside the same fan-out with no outage.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { JobContext } from '../../src/app/jobs/context.js';
import { deliverLesson } from '../../src/app/jobs/deliver-lesson.js';
import { tick } from '../../src/app/jobs/tick.js';
import { NotPosted, type Log, type Messenger } from '../../src/app/ports.js';
import { loadCourse } from '../../src/content/load.js';
import { indexCourse } from '../../src/core/course.js';
import { connect } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { createStores } from '../../src/db/stores/index.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { withDatabase } from './database.js';
import { createJobEngine } from '../../src/jobs/engine.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 10_000);
const OUTAGE_MINUTES = Number(process.env.BENCH_OUTAGE_MINUTES ?? 30);
const MINUTE = 60_000;
const DUE = Date.parse('2026-05-05T09:00:00Z');
const quiet: Log = { info() {}, warn() {}, error: (o, m) => console.error(m, o) };

type Scenario = { name: string; outage: 'none' | 'refused' | 'timeout'; loseFirstAnswers: boolean };

/** The platform: keeps every message that reached it, with the simulated time it arrived. */
class FakePlatform implements Messenger {
  readonly posted = new Map<string, number[]>(); // user -> arrival times of each post of its lesson
  readonly keys = new Map<string, string>(); // user -> key of the posted lesson
  attempts = 0;
  lookups = 0;
  constructor(
    private readonly now: () => number,
    private readonly scenario: Scenario,
    private readonly recovery: number,
  ) {}

  async sendDirect(to: { userExternalId: string }, _reply: unknown, key: string, unsure?: unknown) {
    this.attempts += 1;
    const user = to.userExternalId;
    // With lost answers, the first sends at the due minute go through and the platform goes down after them.
    const from = this.scenario.loseFirstAnswers ? DUE + 30_000 : DUE;
    const down = this.scenario.outage !== 'none' && this.now() >= from && this.now() < this.recovery;
    if (down && this.scenario.outage === 'refused') throw new NotPosted('503 (bench)');
    if (down) throw new Error('timed out (bench)');
    if (unsure) {
      this.lookups += 1;
      if (this.keys.get(user) === key) return { ref: key, channelId: `dm-${user}` };
    }
    this.posted.set(user, [...(this.posted.get(user) ?? []), this.now()]);
    this.keys.set(user, key);
    // A third of the learners: their first post arrives, its answer does not.
    if (this.scenario.loseFirstAnswers && Number(user.slice(1)) % 3 === 0 && this.now() < from) throw new Error('socket hang up (bench)');
    return { ref: key, channelId: `dm-${user}` };
  }

  async sendToChannel(_c: string, channelId: string, _r: unknown, key: string) {
    return { ref: key, channelId };
  }
}

async function run(scenario: Scenario) {
  return withDatabase('bm_outage', async (url) => {
    const database = connect(url, { max: 10 });
    await runMigrations(database);
    await database.sql`insert into communities (platform, external_id) values ('console', 'bench')`;
    await database.sql`
      with l as (
        insert into learners (community_id, external_id, display_name, timezone, delivery_time)
        select 1, 'u' || g, 'u' || g, 'UTC', '09:00' from generate_series(1, ${LEARNERS}::int) g returning id
      )
      insert into enrollments (learner_id, course_id, position, next_delivery_at) select id, 'backend-foundations', 1, ${new Date(DUE).toISOString()} from l`;
    const { course } = await loadCourse(path.resolve('content/backend-foundations'));
    let now = DUE;
    // The platform comes back 20 s into a minute, between two ticks, as it would.
    const recovery = DUE + (scenario.outage === 'none' ? 0 : OUTAGE_MINUTES * MINUTE + 20_000);
    const platform = new FakePlatform(() => now, scenario, recovery);
    const app = { stores: createStores(database.db), clock: { now: () => new Date(now) }, catalog: indexCourse(course!), defaults: { timezone: 'UTC', deliveryTime: '09:00' } };
    const prefix = `out${randomBytes(3).toString('hex')}`;
    const engine = createJobEngine({ redisUrl: REDIS, databaseUrl: url, log: quiet, prefix, lessonRatePerSecond: 0 });
    const ctx: JobContext = { app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs: engine.jobs, messengers: { console: platform }, log: quiet };
    engine.startWorkers({ tick: () => tick(ctx), deliverLesson: (job) => deliverLesson(ctx, job) });

    const started = performance.now();
    const recordedSent = async () => (await database.sql<{ n: number }[]>`select count(*)::int as n from deliveries where state = 'sent'`)[0]!.n;
    // The tick each simulated minute, as the scheduler runs it, until every send is recorded (or 20 minutes past recovery).
    let allRecordedAt = Number.NaN;
    // Every due enrolment handled: sent (moved to tomorrow) or failed (its next try set ahead).
    const drained = async () => {
      for (;;) {
        const [due] = await database.sql<{ n: number }[]>`
          select count(*)::int as n from enrollments where finished_at is null and next_delivery_at <= ${new Date(now).toISOString()}`;
        if (due!.n === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    for (; now <= recovery + 20 * MINUTE; now += MINUTE) {
      const t0 = performance.now();
      await tick(ctx);
      await drained();
      if (process.env.BENCH_TRACE) console.log(new Date(now).toISOString(), ((performance.now() - t0) / 1000).toFixed(1), 's', platform.attempts, await recordedSent());
      if ((await recordedSent()) === LEARNERS) {
        allRecordedAt = now;
        break;
      }
    }
    const wallMs = performance.now() - started;
    await engine.close();
    const redis = new Redis(REDIS);
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
    await redis.quit();
    const [rows] = await database.sql<{ sent: number; pending: number }[]>`
      select count(*) filter (where state = 'sent')::int as sent, count(*) filter (where state = 'pending')::int as pending from deliveries`;
    await database.close();

    const arrivals = [...platform.posted.values()];
    const last = Math.max(...arrivals.map((times) => times[0]!));
    return {
      name: scenario.name,
      lost: LEARNERS - platform.posted.size,
      doubled: arrivals.reduce((n, times) => n + times.length - 1, 0),
      lastMinutes: (last - recovery) / MINUTE,
      recordedMinutes: (allRecordedAt - recovery) / MINUTE,
      attemptsPerLesson: platform.attempts / LEARNERS,
      lookups: platform.lookups,
      recorded: rows!.sent,
      pending: rows!.pending,
      wallSeconds: wallMs / 1000,
    };
  });
}

const scenarios: Scenario[] = [
  { name: 'no outage (baseline)', outage: 'none', loseFirstAnswers: false },
  { name: `${OUTAGE_MINUTES}-minute outage, every send refused (503)`, outage: 'refused', loseFirstAnswers: false },
  { name: `a third of the sends post and lose their answer, then a ${OUTAGE_MINUTES}-minute outage where every send times out`, outage: 'timeout', loseFirstAnswers: true },
];

console.log(`${LEARNERS.toLocaleString('en')} learners due at 09:00 (simulated clock; ticks each simulated minute; BullMQ on Redis, real Postgres)`);
// BENCH_SCENARIOS=1,3 runs only those.
const picked = process.env.BENCH_SCENARIOS?.split(',').map(Number);
for (const scenario of scenarios.filter((_, i) => !picked || picked.includes(i + 1))) {
  const r = await run(scenario);
  console.log(`\n${r.name}`);
  console.log(`  lessons lost: ${r.lost}   lessons doubled: ${r.doubled}   delivery rows sent: ${r.recorded} (pending ${r.pending})`);
  const since = scenario.outage === 'none' ? 'the due time' : 'recovery';
  const relative = (m: number) => (m < 0 ? `${(-m).toFixed(1)} simulated minutes before ${since}` : `${m.toFixed(1)} simulated minutes after ${since}`);
  console.log(`  last lesson to reach a learner: ${relative(r.lastMinutes)}; every send recorded ${relative(r.recordedMinutes)}`);
  console.log(`  send attempts per lesson: ${r.attemptsPerLesson.toFixed(1)}   lookups for an earlier post: ${r.lookups}`);
  console.log(`  wall time: ${r.wallSeconds.toFixed(1)} s`);
}
