import { pino, type Logger } from 'pino';

// Anything that could carry a secret is redacted before it reaches a log line.
const REDACT = ['token', '*.token', 'authorization', '*.authorization', 'password', '*.password', 'DATABASE_URL', 'url'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, destination ?? pino.destination(2));
}
