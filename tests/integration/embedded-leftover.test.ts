// A bot killed before it could stop its embedded PostgreSQL leaves the server running without a parent.
// The next start must take over (stop it, keep the data), refuse a folder a running bot still uses, and
// drop a lock file whose process id now belongs to another program.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';

const quiet = pino({ level: 'silent' });
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bm-leftover-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  // Should a test fail, a server it left must not outlive the run.
  const pid = await postmasterPid().catch(() => 0);
  if (pid > 0 && (await isRunning(pid))) process.kill(pid, 'SIGINT');
  await rm(dir, { recursive: true, force: true });
});

/** Running: it exists and is not a zombie waiting for its new parent to reap it. */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}
const postmasterPid = async () => Number((await readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

/** Starts the holder script and resolves once its server is up. */
function startHolder(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/embedded-holder.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

async function kept(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql<{ note: string }[]>`select note from kept`).map((r) => r.note);
  } finally {
    await sql.end();
  }
}

describe('the embedded PostgreSQL left behind by a killed run', () => {
  it('refuses a data folder that a running bot still uses, then takes it over once that bot is killed', async () => {
    const holder = await startHolder();
    await expect(startEmbeddedPostgres(dir, quiet)).rejects.toThrow(`is in use by another running Backend Mentor (process ${holder.pid})`);

    const leftover = await postmasterPid();
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    expect(await isRunning(leftover)).toBe(true); // the server outlives the bot that started it

    const server = await startEmbeddedPostgres(dir, quiet);
    try {
      expect(await isRunning(leftover)).toBe(false);
      expect(await kept(server.url)).toEqual(['written before the kill']);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('starts over a lock file whose process id now belongs to another program', async () => {
    const other = spawn('sleep', ['30']);
    children.push(other);
    await writeFile(path.join(dir, 'postgres', 'postmaster.pid'), `${other.pid}\n${path.join(dir, 'postgres')}\n`);
    const server = await startEmbeddedPostgres(dir, quiet);
    try {
      expect(await kept(server.url)).toEqual(['written before the kill']);
      expect(await postmasterPid()).not.toBe(other.pid);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
