import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSealed, seal, unseal } from '../../src/db/sealed.js';

const key = randomBytes(32);

describe('sealed secrets', () => {
  it('opens what it sealed, for any text, and never shows the text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 500 }), (text) => {
        const sealed = seal(key, 'row-1', text);
        expect(isSealed(sealed)).toBe(true);
        expect(JSON.stringify(sealed)).not.toContain(text);
        expect(unseal(key, 'row-1', sealed)).toBe(text);
      }),
    );
  });

  it('seals the same text differently every time (a fresh nonce)', () => {
    const [a, b] = [seal(key, 'row-1', 'xoxb-same'), seal(key, 'row-1', 'xoxb-same')];
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  it('refuses another key, another row, and any change to the value', () => {
    const sealed = seal(key, 'row-1', '{"bot":{"token":"xoxb-1"}}');
    expect(() => unseal(randomBytes(32), 'row-1', sealed)).toThrow();
    expect(() => unseal(key, 'row-2', sealed)).toThrow();
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0]! ^= 1;
    expect(() => unseal(key, 'row-1', { ...sealed, data: flipped.toString('base64') })).toThrow();
    expect(() => unseal(key, 'row-1', { ...sealed, tag: Buffer.alloc(16).toString('base64') })).toThrow();
  });

  it('tells a sealed value from a plain installation', () => {
    expect(isSealed({ team: { id: 'T1' }, bot: { token: 'xoxb-1' } })).toBe(false);
    expect(isSealed(null)).toBe(false);
  });
});
