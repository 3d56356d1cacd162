// npm run bench:answers: quiz answers through the real app layer (dispatch -> stores -> Postgres),
// against the raw single-row INSERT rate of the same database in the same run.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import postgres from 'postgres';
import { dispatch } from '../../src/app/dispatch.js';
import type { AppContext, Log } from '../../src/app/ports.js';
import { parseCommandText } from '../../src/app/grammar.js';
import { indexCourse } from '../../src/core/course.js';
import { encodeAction, type Reply } from '../../src/core/reply.js';
import { loadCourse } from '../../src/content/load.js';
import { connect } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { createStores } from '../../src/db/stores/index.js';

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 2000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY = 24 * 3600_000;

const quiet: Log = { info() {}, warn() {}, error: (obj, msg) => console.error(msg, obj) };
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const name = `bm_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const database = connect(url.toString(), { max: Number(process.env.BENCH_POOL ?? 10) });
  try {
    await runMigrations(database);
    const { course } = await loadCourse(path.resolve('content/backend-foundations'));
    if (!course) throw new Error('content does not load; run npm run content:check');
    const catalog = indexCourse(course);
    const stores = createStores(database.db);
    const community = { platform: 'console' as const, externalId: 'bench' };
    const start = new Date('2026-06-01T10:00:00Z').getTime();

    // One app context per worker: each worker owns its learners and moves its own clock a day at a time.
    const worker = (index: number) => {
      let now = start;
      let day = 0;
      const app: AppContext = { stores, clock: { now: () => new Date(now) }, catalog, defaults: { timezone: 'UTC', deliveryTime: '09:00' } };
      const users = Array.from({ length: Math.ceil((LEARNERS - index) / IN_FLIGHT) }, (_, i) => `learner-${index + i * IN_FLIGHT}`);
      const send = (user: string, request: Parameters<typeof dispatch>[2]['request']) =>
        dispatch(app, quiet, { community, user: { externalId: user, displayName: user }, request });
      // A worker's learners move through the course in lockstep: on day N they all take lesson N.
      return { users, send, lesson: () => catalog.lessonAt(day), nextDay: () => ((now += DAY), (day += 1)) };
    };
    const workers = Array.from({ length: IN_FLIGHT }, (_, i) => worker(i));

    let t0 = performance.now();
    await Promise.all(workers.map(async (w) => {
      for (const user of w.users) await w.send(user, parseCommandText('start UTC 09:00'));
    }));
    console.log(`enrolled ${LEARNERS} learners through /learn start in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const latencies: number[] = [];
    let failures = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    t0 = performance.now();
    await Promise.all(workers.map(async (w) => {
      while (performance.now() < deadline) {
        for (const user of w.users) {
          if (performance.now() >= deadline) return;
          let reply: Reply = await w.send(user, parseCommandText('quiz'));
          for (let step = 0; step < 10; step++) {
            const action = reply.actions?.[0]?.[0]?.action;
            if (action?.kind !== 'answer') break;
            const question = w.lesson()!.quiz[action.question]!;
            const choice = Math.random() < 0.7 ? question.answer : (question.answer + 1) % question.choices.length;
            const began = performance.now();
            reply = await w.send(user, { type: 'action', actionId: encodeAction({ ...action, choice }) });
            latencies.push(performance.now() - began);
            if (!/Right|Not quite/.test(reply.text)) failures += 1;
          }
        }
        w.nextDay();
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const loop = performance.eventLoopUtilization(elu).utilization;
    const [counted] = await database.sql<{ n: number }[]>`select count(*)::int as n from answers`;
    const stored = counted?.n ?? 0;

    // Baseline: single-row INSERTs through postgres.js, same pool, same concurrency, same database.
    await database.sql`create table bench_raw (id bigint generated always as identity primary key, learner_id bigint not null, question_id text not null, choice int not null, answered_at timestamptz not null)`;
    let inserts = 0;
    const rawDeadline = performance.now() + Math.min(SECONDS, 5) * 1000;
    const r0 = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, async (_, i) => {
      while (performance.now() < rawDeadline) {
        await database.sql`insert into bench_raw (learner_id, question_id, choice, answered_at) values (${i}, ${'q'}, ${1}, now())`;
        inserts += 1;
      }
    }));
    const rawRate = inserts / ((performance.now() - r0) / 1000);

    latencies.sort((a, b) => a - b);
    const rate = latencies.length / elapsed;
    console.log(`answers: ${latencies.length} in ${elapsed.toFixed(1)} s with ${IN_FLIGHT} in flight (${stored} stored, ${failures} not graded)`);
    console.log(`answers/s: ${rate.toFixed(0)}`);
    console.log(`latency p50: ${percentile(latencies, 50).toFixed(1)} ms, p99: ${percentile(latencies, 99).toFixed(1)} ms`);
    console.log(`this process while answering: event loop busy ${(loop * 100).toFixed(0)}%, ${((used.user + used.system) / latencies.length).toFixed(0)} µs of CPU per answer`);
    console.log(`raw single-row INSERT/s (postgres.js, ${IN_FLIGHT} in flight): ${rawRate.toFixed(0)}`);
    console.log(`ratio answers/s / raw INSERT/s: ${(rate / rawRate).toFixed(2)} (target >= 0.25; p99 target <= 50 ms)`);
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
