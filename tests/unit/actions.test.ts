import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAction, parseForm } from '../../src/app/actions.js';
import { ACTION_ID_MAX, COHORT_RUNNABLE_VERBS, encodeAction, encodeForm, RUNNABLE_VERBS, type ActionId, type FormId } from '../../src/core/reply.js';

const rowId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const small = fc.integer({ min: 0, max: 9 });
const questionId = fc.stringMatching(/^[a-z0-9-]{1,48}$/);

const actionArb: fc.Arbitrary<ActionId> = fc.oneof(
  fc.record({ kind: fc.constant('quiz' as const), deliveryId: rowId }),
  fc.record({ kind: fc.constant('answer' as const), deliveryId: rowId, question: small, choice: small }),
  fc.record({ kind: fc.constant('practice' as const), deliveryId: rowId }),
  fc.record({ kind: fc.constant('review' as const), questionId, choice: small }),
  fc.record({ kind: fc.constant('run' as const), verb: fc.constantFrom(...RUNNABLE_VERBS) }),
  fc.record({ kind: fc.constant('forget' as const), learnerId: rowId, armedAt: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }) }),
  fc.record({ kind: fc.constant('submit' as const), challengeId: rowId }),
  fc.record({ kind: fc.constant('accept' as const), submissionId: rowId }),
  fc.record({ kind: fc.constant('changes' as const), submissionId: rowId }),
  fc.record({ kind: fc.constant('cohort' as const), verb: fc.constantFrom(...COHORT_RUNNABLE_VERBS) }),
);

/** Values that are not a canonical number in range: negative, non-numeric, huge, padded, exotic notations. */
const badNumber = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('-1', '-0', '', ' ', '1.5', 'NaN', 'Infinity', 'abc', '1e3', '0x10', '+5', '05', ' 5', '9007199254740992', '99999999999999999999') },
  { weight: 1, arbitrary: fc.integer({ max: -1 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map(String) },
  { weight: 1, arbitrary: fc.string() },
);

const encodedArb = actionArb.map(encodeAction);
const fieldsOf = (encoded: string) => encoded.split(':');

/** A valid encoding, then broken in one of the ways a hostile or stale client might. */
const mutatedArb = fc.oneof(
  fc.tuple(encodedArb, fc.string()).map(([e, junk]) => `${e}:${junk}`), // extra field
  encodedArb.map((e) => fieldsOf(e).slice(0, -1).join(':')), // missing field
  fc.tuple(encodedArb, fc.string({ maxLength: 4 })).map(([e, version]) => [version, ...fieldsOf(e).slice(1)].join(':')), // wrong version
  {
    weight: 4,
    arbitrary: fc.tuple(encodedArb, fc.nat(), badNumber).map(([e, seed, bad]) => {
      const parts = fieldsOf(e);
      const at = 2 + (seed % (parts.length - 2)); // any value after version and tag
      return parts.map((p, i) => (i === at ? bad : p)).join(':');
    }),
  },
  fc.tuple(encodedArb, fc.integer({ min: 1, max: 60 })).map(([e, n]) => e.slice(0, -1) + '0'.repeat(n) + e.slice(-1)), // padded, maybe overlong
  encodedArb.map((e) => e + 'x'.repeat(ACTION_ID_MAX)), // overlong
);

/** Null, or an action whose canonical encoding is exactly the input. */
function parsesCanonicallyOrNull(raw: string): void {
  const parsed = parseAction(raw);
  if (parsed !== null) expect(encodeAction(parsed)).toBe(raw);
}

describe('encodeAction / parseAction', () => {
  it('round-trips every valid action within 100 characters', () => {
    fc.assert(
      fc.property(actionArb, (action) => {
        const encoded = encodeAction(action);
        expect(encoded.length).toBeLessThanOrEqual(ACTION_ID_MAX);
        expect(parseAction(encoded)).toEqual(action);
      }),
    );
  });

  it('encodes in the documented v1 format', () => {
    expect(encodeAction({ kind: 'answer', deliveryId: 42, question: 1, choice: 3 })).toBe('v1:ans:42:1:3');
    expect(encodeAction({ kind: 'review', questionId: 'api-design-q2', choice: 0 })).toBe('v1:rev:api-design-q2:0');
    expect(encodeAction({ kind: 'run', verb: 'today' })).toBe('v1:run:today');
    expect(encodeAction({ kind: 'submit', challengeId: 7 })).toBe('v1:sub:7');
    expect(encodeAction({ kind: 'accept', submissionId: 12 })).toBe('v1:acc:12');
    expect(encodeAction({ kind: 'changes', submissionId: 12 })).toBe('v1:chg:12');
    expect(encodeAction({ kind: 'cohort', verb: 'challenge-new' })).toBe('v1:co:challenge-new');
  });

  it('never throws on random strings', () => {
    const alphabet = fc.constantFrom(...'v12:ansquizpracrevrunforgettoday-0123456789 e.x'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 120 })), (raw) => {
        parsesCanonicallyOrNull(raw);
      }),
    );
  });

  it('rejects or canonically parses mutated encodings', () => {
    fc.assert(fc.property(mutatedArb, parsesCanonicallyOrNull), { numRuns: 500 });
  });

  it.each([
    ['wrong version', 'v2:quiz:1'],
    ['missing field', 'v1:ans:1:0'],
    ['extra field', 'v1:quiz:1:2'],
    ['zero id', 'v1:ans:0:0:0'],
    ['negative id', 'v1:forget:-3:1796000000000'],
    ['forget without the arming it confirms (a button from before arming)', 'v1:forget:3'],
    ['negative arming instant', 'v1:forget:3:-1'],
    ['choice above 9', 'v1:ans:1:0:10'],
    ['unsafe integer id', 'v1:quiz:9007199254740992'],
    ['fractional id', 'v1:prac:1.5'],
    ['non-runnable verb', 'v1:run:forget'],
    ['unknown tag', 'v1:nope:1'],
    ['bad question id', 'v1:rev:Has_Caps:1'],
    ['zero submission', 'v1:acc:0'],
    ['non-numeric challenge', 'v1:sub:abc'],
    ['cohort verb not runnable', 'v1:co:export'],
    ['spaced cohort verb', 'v1:co:challenge new'],
    ['empty', ''],
  ])('rejects %s (%s)', (_name, raw) => {
    expect(parseAction(raw)).toBeNull();
  });

  it('rejects a forged payload that is not a string at all', () => {
    for (const forged of [5, null, { kind: 'forget' }, ['v1', 'quiz', '1']]) {
      expect(parseAction(forged as unknown as string)).toBeNull();
      expect(parseForm(forged as unknown as string)).toBeNull();
    }
  });

  it('rejects strings longer than 100 characters', () => {
    const padded = `v1:quiz:${'0'.repeat(ACTION_ID_MAX)}1`;
    expect(padded.length).toBeGreaterThan(ACTION_ID_MAX);
    expect(parseAction(padded)).toBeNull();
  });

  it.each(['v1:quiz:1e3', 'v1:quiz:0x10', 'v1:quiz:05', 'v1:quiz:+5', 'v1:quiz: 5', 'v1:ans:1::', 'v1:ans:1:-0:0'])(
    'rejects the non-canonical number in %s',
    (raw) => {
      expect(parseAction(raw)).toBeNull();
    },
  );

  it('refuses to encode an action longer than 100 characters', () => {
    expect(() => encodeAction({ kind: 'review', questionId: 'q'.repeat(120), choice: 0 })).toThrow(/too long/);
  });
});

describe('encodeForm / parseForm', () => {
  const formArb: fc.Arbitrary<FormId> = fc.oneof(
    fc.record({ kind: fc.constant('practice' as const), deliveryId: fc.option(rowId, { nil: null }) }),
    fc.record({ kind: fc.constant('submit' as const), challengeId: rowId }),
    fc.record({ kind: fc.constant('changes' as const), submissionId: rowId }),
    fc.constant({ kind: 'challenge' as const }),
  );

  it('round-trips every form, within 100 characters', () => {
    fc.assert(
      fc.property(formArb, (form) => {
        expect(encodeForm(form).length).toBeLessThanOrEqual(ACTION_ID_MAX);
        expect(parseForm(encodeForm(form))).toEqual(form);
      }),
    );
  });

  it('encodes a form without a delivery as 0', () => {
    expect(encodeForm({ kind: 'practice', deliveryId: null })).toBe('v1:form:practice:0');
  });

  it('encodes the cohort forms', () => {
    expect(encodeForm({ kind: 'submit', challengeId: 4 })).toBe('v1:form:sub:4');
    expect(encodeForm({ kind: 'changes', submissionId: 9 })).toBe('v1:form:chg:9');
    expect(encodeForm({ kind: 'challenge' })).toBe('v1:form:chal:0');
  });

  it.each(['v1:form:sub:0', 'v1:form:chg:-1', 'v1:form:chal:1', 'v1:form:chal:', 'v1:form:sub:07'])('rejects the cohort form %s', (raw) => {
    expect(parseForm(raw)).toBeNull();
  });

  it.each(['v2:form:practice:1', 'v1:frm:practice:1', 'v1:form:quiz:1', 'v1:form:practice:-1', 'v1:form:practice:1:2', 'v1:form:practice', 'v1:form:practice:x'])(
    'rejects %s',
    (raw) => {
      expect(parseForm(raw)).toBeNull();
    },
  );

  it.each(['v1:form:practice:', 'v1:form:practice:1e2', 'v1:form:practice:007'])('rejects the non-canonical number in %s', (raw) => {
    expect(parseForm(raw)).toBeNull();
  });

  it('never throws and parses only canonical encodings', () => {
    const alphabet = fc.constantFrom(...'v12:formpractice0123456789-e.x '.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 40 })), (raw) => {
        const parsed = parseForm(raw);
        if (parsed !== null) expect(encodeForm(parsed)).toBe(raw);
      }),
    );
  });
});
