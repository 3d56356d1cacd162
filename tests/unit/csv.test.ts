import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/core/csv.js';

/** A strict RFC 4180 reader, to check what toCsv writes reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted field`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ',') i += 1;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length) throw new Error('last row without CRLF');
  return rows;
}

const FORMULA = /^[=+\-@\t\r]/;

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks, and ends every row with CRLF', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['line\nbreak', null]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n');
  });

  it('writes numbers, booleans and dates plainly', () => {
    expect(toCsv(['n'], [[-3, true, new Date('2026-05-04T08:00:00Z'), Number.NaN, undefined]])).toBe('n\r\n-3,true,2026-05-04T08:00:00.000Z,,\r\n');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil","x")'])('defuses the formula %j', (text) => {
    expect(csvCell(text).replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('reads back exactly, with only formula-looking text prefixed', () => {
    const cell = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', '=', '+', '-', '@', '\t', ' ', 'é') }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 }), (rows) => {
        const width = rows[0]?.length ?? 1;
        const rect = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
        const header = Array.from({ length: width }, (_, i) => `h${i}`);
        const parsed = parseCsv(toCsv(header, rect));
        expect(parsed).toEqual([header, ...rect.map((r) => r.map((c) => (FORMULA.test(c) ? `'${c}` : c)))]);
        for (const row of parsed) for (const c of row) expect(FORMULA.test(c)).toBe(false);
      }),
    );
  });
});
