import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseInput, tidyText, UNREADABLE } from '../../src/app/input.js';
import { canonicalZone } from '../../src/core/zone-name.js';

// Every character that shows nothing: whitespace and the default-ignorable ones people paste by accident.
const INVISIBLE = [
  ' ', '\t', '\n', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
  '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2061', '\u2064', '\ufeff', '\u00ad', '\u034f', '\u061c',
  '\u115f', '\u1160', '\u17b4', '\u180e', '\u202a', '\u202e', '\u2066', '\u2069', '\u3164', '\uffa0', '\ufe0f', '\u{e0001}', '\u2800',
];
const invisible = fc.array(fc.constantFrom(...INVISIBLE), { maxLength: 8 }).map((cs) => cs.join(''));
// A variation selector right after text belongs to it (see below).
const trailing = fc.array(fc.constantFrom(...INVISIBLE.filter((c) => c !== '\ufe0f')), { maxLength: 8 }).map((cs) => cs.join(''));
const visible = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[\p{L}\p{N}\p{P}]/u.test(s) && /[\p{L}\p{N}\p{P}]$/u.test(s));

describe('tidyText', () => {
  it.each(INVISIBLE.map((c) => [c.codePointAt(0)!.toString(16).padStart(4, '0'), c]))('treats U+%s alone as empty', (_code, c) => {
    expect(tidyText(c)).toBe('');
    expect(tidyText(c.repeat(3))).toBe('');
  });

  it('removes invisible characters at either end and keeps the text between', () => {
    fc.assert(
      fc.property(invisible, visible, trailing, (before, text, after) => {
        expect(tidyText(`${before}${text}${after}`)).toBe(text);
      }),
    );
  });

  it('keeps what makes an emoji at the end: variation selectors and flag tags', () => {
    expect(tidyText('done ❤️\u200b ')).toBe('done ❤️');
    const england = '\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}';
    expect(tidyText(`go ${england}\u2060`)).toBe(`go ${england}`);
    expect(tidyText('a\u200bb')).toBe('a\u200bb');
  });
});

describe('parseInput', () => {
  it("answers zod's own issues with our fallback and keeps the schema's messages", () => {
    const schema = z.object({ name: z.string().min(2, 'Give a name.'), age: z.string().optional() });
    expect(parseInput(schema, { name: 5 })).toEqual({ ok: false, message: UNREADABLE, field: 'name' });
    expect(parseInput(schema, { name: 'x' })).toEqual({ ok: false, message: 'Give a name.', field: 'name' });
    expect(parseInput(schema, { name: '\u200bAl\u2060', age: ' 7 ' })).toEqual({ ok: true, data: { name: 'Al', age: '7' } });
    expect(parseInput(schema, null)).toEqual({ ok: false, message: UNREADABLE, field: null });
  });
});

describe('canonicalZone', () => {
  it.each([
    ['europe/berlin', 'Europe/Berlin'],
    ['EUROPE/BERLIN', 'Europe/Berlin'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['america/argentina/buenos_aires', 'America/Argentina/Buenos_Aires'],
    ['america/port-au-prince', 'America/Port-au-Prince'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['europe/kiev', 'Europe/Kyiv'],
    ['utc', 'UTC'],
    ['etc/gmt-14', 'Etc/GMT-14'],
  ])('%s is %s', (input, canonical) => {
    expect(canonicalZone(input)).toBe(canonical);
  });

  it('leaves what Intl cannot read as it is', () => {
    expect(canonicalZone('Mars/Olympus')).toBe('Mars/Olympus');
  });
});
