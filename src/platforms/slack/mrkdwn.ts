// Markdown -> Slack mrkdwn that can never ping anyone: escape first, convert with slackify-markdown,
// then neutralise whatever the converter let through.
import slackifyMarkdown from 'slackify-markdown';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes Slack's control characters (&, <, >), keeping the `>` that opens a Markdown blockquote. */
export function escapeControl(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      const quote = /^ {0,3}(?:> ?)+/.exec(line)?.[0] ?? '';
      return quote + line.slice(quote.length).replace(/[&<>]/g, (c) => ESCAPES[c]!);
    })
    .join('\n');
}

// The only `<...>` sequences we emit: web and mail links (slackify writes them for Markdown links).
const SAFE_LINK = /<(?:https?:\/\/|mailto:)[^\s<>|]+(?:\|[^<>]*)?>/iy;
const BROADCAST = /@(channel|here|everyone)\b/gi;
const WORD_JOINER = '\u2060';

/**
 * Escapes every `<` that does not start a web link, so `<!channel>`, `<!here>`, `<!subteam^…>` and
 * `<@U…>` never reach Slack (slackify-markdown deliberately keeps `<@…>` and raw HTML), and every `>`
 * that neither closes such a link nor opens a blockquote. `@here` and friends get an invisible joiner.
 */
export function neutralize(mrkdwn: string): string {
  let out = '';
  let lineStart = 0;
  for (let i = 0; i < mrkdwn.length; ) {
    const c = mrkdwn[i]!;
    if (c === '<') {
      SAFE_LINK.lastIndex = i;
      const link = SAFE_LINK.exec(mrkdwn);
      if (link) {
        out += link[0];
        i += link[0].length;
        continue;
      }
      out += '&lt;';
    } else if (c === '>') {
      out += /^(?:> ?)*$/.test(out.slice(lineStart)) ? '>' : '&gt;';
    } else {
      out += c;
      if (c === '\n') lineStart = out.length;
    }
    i += 1;
  }
  return out.replace(BROADCAST, `@${WORD_JOINER}$1`);
}

/** Markdown (the common subset the app writes) -> safe Slack mrkdwn. */
export function toMrkdwn(markdown: string): string {
  let converted: string;
  try {
    converted = slackifyMarkdown(escapeControl(markdown));
  } catch {
    // The converter is third-party code: on any failure show the text escaped but unformatted.
    converted = escapeControl(markdown);
  }
  return neutralize(converted).trimEnd();
}

/** The one deliberate mention: a Slack user id, checked so nothing else can ride along. */
export function userMention(userId: string): string | null {
  return /^[UW][A-Z0-9]{2,20}$/.test(userId) ? `<@${userId}>` : null;
}

/** Cuts text to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
