// The real entry point with a REDIS_URL it cannot use: one clear error naming REDIS_URL and what to
// check, and a non-zero exit within seconds, instead of a stack trace per reconnect attempt forever.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { freePort, RedisServer } from '../support/redis-server.js';

const EXIT_BOUND_MS = 15_000;
let database: TestDatabase;
let guarded: RedisServer;

beforeAll(async () => {
  [database, guarded] = await Promise.all([createTestDatabase(), RedisServer.start({ password: 'right-password' })]);
});
afterAll(async () => {
  await guarded?.stop();
  await database?.drop();
});

/** Runs `node --import tsx src/main.ts`; kills it if it outlives the bound, so a hang fails rather than stalls. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'info', ROLE: 'worker', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), EXIT_BOUND_MS);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, ms: Date.now() - started });
    }),
  );
}

function expectOneClearError(run: { code: number | null; stderr: string; ms: number }, url: string) {
  expect(run.code).toBe(1);
  expect(run.ms).toBeLessThan(EXIT_BOUND_MS);
  expect(run.stderr).toContain(`Backend Mentor could not start: REDIS_URL (${url}) cannot be used`);
  expect(run.stderr).toContain('rediss://');
  expect(run.stderr.match(/cannot be used/g)).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m); // no stack traces
  expect(run.stderr).not.toContain('scheduler and job workers are running');
}

describe('npm start with a REDIS_URL it cannot use', () => {
  it('exits non-zero within seconds, naming REDIS_URL, when nothing listens at its port', async () => {
    const url = `redis://127.0.0.1:${await freePort()}/9`;
    const run = await runMain({ REDIS_URL: url });
    expectOneClearError(run, url);
    expect(run.stderr).toContain('Nothing accepts connections at');
  }, 30_000);

  it('says the password is wrong, without printing it, when the server refuses it', async () => {
    const run = await runMain({ REDIS_URL: `redis://:wrong-password@127.0.0.1:${guarded.port}/0` });
    expectOneClearError(run, `redis://127.0.0.1:${guarded.port}/0`);
    expect(run.stderr).toContain('refused the user name or password');
    expect(run.stderr).not.toContain('wrong-password');
  }, 30_000);
});
