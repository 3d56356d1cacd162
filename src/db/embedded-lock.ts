// Who holds the embedded server's data folder. A run killed before it could stop its server (SIGKILL, the
// OOM killer) leaves the postmaster running without a parent, holding the folder, so every later start
// would fail. This tells that leftover apart from a server another running bot still uses, and from a
// lock file whose process id now belongs to something else.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

export type LockHolder =
  | { kind: 'free' }
  /** postmaster.pid names a process that is not this folder's server: PostgreSQL would refuse to start. */
  | { kind: 'stale'; pid: number }
  /** This folder's server, whose parent is gone: left by a run that was killed. */
  | { kind: 'orphan'; pid: number }
  /** This folder's server, started by a Node process that is still running: another bot. */
  | { kind: 'in-use'; pid: number; owner: number }
  /** A live process we cannot look into (no /proc, as on macOS). */
  | { kind: 'unknown'; pid: number };

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it just is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readOrNull = (file: string) => readFile(file, 'utf8').catch(() => null);

/** The fields of /proc/<pid>/stat after "pid (name) ": state, ppid, ... (the name may hold spaces). */
async function statFields(pid: number): Promise<string[] | null> {
  const stat = await readOrNull(`/proc/${pid}/stat`);
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Gone, or a zombie its new parent has yet to reap. */
const hasExited = async (pid: number): Promise<boolean> => !isAlive(pid) || (await statFields(pid))?.[0] === 'Z';

export async function lockHolder(databaseDir: string): Promise<LockHolder> {
  const lock = await readOrNull(path.join(databaseDir, 'postmaster.pid'));
  const pid = Number(lock?.split('\n')[0]);
  // No lock, or a dead process: PostgreSQL replaces a lock file whose process is gone by itself.
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return { kind: 'free' };
  const cmdline = await readOrNull(`/proc/${pid}/cmdline`);
  if (cmdline === null) return { kind: 'unknown', pid };
  const args = cmdline.split('\0');
  const dataArg = args.indexOf('-D');
  if (!path.basename(args[0] ?? '').startsWith('postgres') || dataArg < 0 || path.resolve(args[dataArg + 1] ?? '') !== path.resolve(databaseDir)) {
    return { kind: 'stale', pid };
  }
  const owner = Number((await statFields(pid))?.[1]);
  const ownerCommand = owner > 1 ? await readOrNull(`/proc/${owner}/cmdline`) : null;
  if (ownerCommand && path.basename(ownerCommand.split('\0')[0] ?? '').startsWith('node')) return { kind: 'in-use', pid, owner };
  return { kind: 'orphan', pid };
}

/** Makes the data folder startable: stops a leftover server, drops a stale lock, refuses a folder in use. */
export async function releaseLeftoverLock(databaseDir: string, log: Logger, waitMs = 15_000): Promise<void> {
  const holder = await lockHolder(databaseDir);
  switch (holder.kind) {
    case 'free':
      return;
    case 'stale':
      log.warn({ pid: holder.pid }, 'removing a stale PostgreSQL lock file: its process id now belongs to another program');
      await rm(path.join(databaseDir, 'postmaster.pid'), { force: true });
      return;
    case 'in-use':
      throw new Error(
        `the embedded PostgreSQL in ${databaseDir} is in use by another running Backend Mentor (process ${holder.owner}). Stop that one first, or give this one its own DATA_DIR.`,
      );
    case 'unknown':
      throw new Error(
        `PostgreSQL (process ${holder.pid}) is still running on ${databaseDir}. If no other Backend Mentor uses it, stop it (kill ${holder.pid}) and start again.`,
      );
    case 'orphan': {
      log.warn({ pid: holder.pid }, 'stopping the embedded PostgreSQL an earlier run left running (it was killed before it could stop it)');
      // SIGINT is PostgreSQL's fast shutdown: it ends the sessions and writes a clean checkpoint.
      process.kill(holder.pid, 'SIGINT');
      const deadline = Date.now() + waitMs;
      while (!(await hasExited(holder.pid))) {
        if (Date.now() > deadline) throw new Error(`the PostgreSQL an earlier run left running (process ${holder.pid}) did not stop within ${waitMs / 1000} s; stop it and start again`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
