// Before anything starts: can REDIS_URL be used? Without this, BullMQ's clients retry forever at start,
// print a stack trace per attempt and never say which setting is wrong.
import { Redis } from 'ioredis';

const DEFAULT_TIMEOUT_MS = 5_000;

/** Where REDIS_URL points, without its credentials (safe to log). */
export function redisTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/** What the first failure most likely means, in the operator's terms. */
function diagnose(error: Error & { code?: string }, url: URL, timeoutMs: number): string | null {
  const text = `${error.code ?? ''} ${error.message}`;
  if (/ECONNREFUSED/.test(text)) return `Nothing accepts connections at ${url.host}: is Redis running there, and are the host and port right?`;
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return `The host name ${url.hostname} does not resolve: check the host in REDIS_URL.`;
  if (/NOAUTH/.test(text)) return 'The server wants a password and REDIS_URL has none: redis://:password@host:6379, or redis://user:password@host:6379 with ACL users.';
  if (/WRONGPASS|invalid password/i.test(text)) return 'The server refused the user name or password in REDIS_URL.';
  if (/DB index is out of range/.test(text)) return `The server has no database ${url.pathname.slice(1)}: use a smaller number after the port (redis://host:6379/0).`;
  if (/ETIMEDOUT|no answer/.test(text))
    return `No answer within ${timeoutMs / 1000} s: a firewall, the wrong host, or TLS on one side only (rediss:// for a TLS server, redis:// for a plain one).`;
  if (/RESP|protocol|wrong version number|SSL|TLS/i.test(text)) return 'What answered does not speak Redis as expected: is it a Redis server, and does it need TLS (rediss://) or not (redis://)?';
  return null;
}

export class RedisUnreachableError extends Error {
  constructor(url: string, cause: Error, timeoutMs: number) {
    const hint = diagnose(cause, new URL(url), timeoutMs);
    super(
      [
        `REDIS_URL (${redisTarget(url)}) cannot be used: ${cause.message.replace(/\.+$/, '')}.`,
        ...(hint ? [`  ${hint}`] : []),
        '  Check REDIS_URL: the host and port, the password (redis://:password@host:6379), rediss:// if the server needs TLS;',
        '  or unset it to keep the jobs in PostgreSQL.',
      ].join('\n'),
      { cause },
    );
    this.name = 'RedisUnreachableError';
  }
}

/** Connects once, without retries, within a bound; throws RedisUnreachableError naming what to check. */
export async function checkRedis(url: string, { timeoutMs = DEFAULT_TIMEOUT_MS }: { timeoutMs?: number } = {}): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: timeoutMs });
  // ioredis reports the real cause (refused, wrong password, bad db) as 'error' events; connect() only says "closed".
  let firstError: Error | undefined;
  probe.on('error', (error: Error) => void (firstError ??= error));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 500);
  });
  try {
    await Promise.race([probe.connect().then(() => probe.ping()), timeout]);
    // A database number the server lacks is only an 'error' event: the connection itself comes up.
    if (firstError) throw firstError;
  } catch (error) {
    throw new RedisUnreachableError(url, firstError ?? (error as Error), timeoutMs);
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}
