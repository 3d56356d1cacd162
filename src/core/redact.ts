// Secrets blanked from text bound for a log line, in one place for every layer.

/** Slack tokens, Discord bot tokens, and passwords in URLs (a database URL in a connection error). */
const SECRETS: [RegExp, string][] = [
  [/\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g, '$1-[redacted]'],
  [/\b[A-Za-z0-9_-]{24,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{27,}\b/g, '[redacted]'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]+):[^@/\s]+@/gi, '$1:[redacted]@'],
];

export function redactSecrets(text: string): string {
  return SECRETS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
