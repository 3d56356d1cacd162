// Once the bot is up, an error nobody caught (say, a promise a library's request handling left to reject)
// must not take it down for every other learner: it is logged, tokens blanked, and the process keeps
// serving. main.ts installs this after start-up, so until then Node's default holds and a start-up failure
// still ends the process with exit code 1 (start-up errors main() sees itself exit 1 through its catch).
import type { Log } from './app/ports.js';
import { redactSecrets } from './core/redact.js';

function describe(error: unknown): { name?: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: redactSecrets(error.message), ...(error.stack ? { stack: redactSecrets(error.stack) } : {}) };
  let text: string;
  try {
    text = typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
  } catch {
    text = String(error);
  }
  return { message: redactSecrets(text) };
}

/** Keeps the process serving through uncaught errors, logging each one. Returns the uninstaller. */
export function keepServingThroughErrors(log: Log, target: NodeJS.EventEmitter = process): () => void {
  const onRejection = (reason: unknown) => log.error({ origin: 'unhandledRejection', error: describe(reason) }, 'a promise rejected with nobody to catch it; the bot keeps serving');
  const onException = (error: unknown) => log.error({ origin: 'uncaughtException', error: describe(error) }, 'an error was thrown with nobody to catch it; the bot keeps serving');
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
