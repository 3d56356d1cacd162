import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/db/coalesce.js';

/** A batch runner whose batches finish only when the test says so. */
function heldRunner<I, O>(answer: (input: I) => O | Error) {
  const batches: { inputs: I[]; finish: () => void }[] = [];
  const run = (inputs: I[]) =>
    new Promise<O[]>((resolve, reject) => {
      batches.push({
        inputs,
        finish: () => {
          const outputs = inputs.map(answer);
          const failure = outputs.find((o) => o instanceof Error);
          if (failure) reject(failure);
          else resolve(outputs as O[]);
        },
      });
    });
  return { run, batches };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesce', () => {
  it('runs a call that finds nothing running at once, in a batch of its own', async () => {
    const { run, batches } = heldRunner((n: number) => n * 2);
    const call = coalesce(run);
    const result = call(21);
    expect(batches.map((b) => b.inputs)).toEqual([[21]]);
    batches[0]!.finish();
    await expect(result).resolves.toBe(42);
  });

  it('sends calls that arrive while the batch in flight runs together in the next batch', async () => {
    const { run, batches } = heldRunner((n: number) => n * 2);
    const call = coalesce(run, { lanes: 1 });
    const first = call(1);
    const rest = [call(2), call(3), call(4)];
    expect(batches).toHaveLength(1);
    batches[0]!.finish();
    await first;
    await settled();
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.finish();
    await expect(Promise.all(rest)).resolves.toEqual([4, 6, 8]);
  });

  it('never puts more than maxBatch inputs in one batch', async () => {
    const { run, batches } = heldRunner((n: number) => n);
    const call = coalesce(run, { maxBatch: 2, lanes: 1 });
    const all = [1, 2, 3, 4, 5, 6].map(call);
    for (let i = 0; i < 4; i++) {
      batches[i]!.finish();
      await settled();
    }
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3, 4, 5, 6]);
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('keeps inputs with the same key in separate batches, in the order they came', async () => {
    const { run, batches } = heldRunner((input: { id: number; n: number }) => input.n);
    const call = coalesce(run, { key: (input) => input.id, lanes: 1 });
    const first = call({ id: 0, n: 0 });
    const rest = [call({ id: 1, n: 1 }), call({ id: 2, n: 2 }), call({ id: 1, n: 3 }), call({ id: 1, n: 4 })];
    for (let i = 0; i < 4; i++) {
      batches[i]!.finish();
      await settled();
    }
    await Promise.all([first, ...rest]);
    expect(batches.map((b) => b.inputs.map((input) => input.n))).toEqual([[0], [1, 2], [3], [4]]);
  });

  it('never runs two inputs with the same key at once, even with a lane free', async () => {
    const { run, batches } = heldRunner((input: { id: number; n: number }) => input.n);
    const call = coalesce(run, { key: (input) => input.id });
    const first = call({ id: 1, n: 1 });
    const second = call({ id: 1, n: 2 });
    const other = call({ id: 2, n: 3 });
    expect(batches.map((b) => b.inputs.map((input) => input.n))).toEqual([[1], [3]]);
    batches[1]!.finish();
    await expect(other).resolves.toBe(3);
    await settled();
    expect(batches).toHaveLength(2);
    batches[0]!.finish();
    await expect(first).resolves.toBe(1);
    await settled();
    expect(batches.map((b) => b.inputs.map((input) => input.n))).toEqual([[1], [3], [2]]);
    batches[2]!.finish();
    await expect(second).resolves.toBe(2);
  });

  it('runs a failed batch again one input at a time, so only the bad input fails', async () => {
    const runs: number[][] = [];
    const call = coalesce(
      async (inputs: number[]) => {
        runs.push(inputs);
        if (inputs.includes(13)) throw new Error('unlucky');
        return inputs.map((n) => n + 1);
      },
      { lanes: 1 },
    );
    const results = await Promise.allSettled([call(1), call(13), call(2)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([2, 'unlucky', 3]);
    expect(runs).toEqual([[1], [13, 2], [13], [2]]);
  });

  it('keeps a second lane, so a batch stuck in Postgres does not hold up the calls after it', async () => {
    const { run, batches } = heldRunner((n: number) => n * 2);
    const call = coalesce(run);
    const stuck = call(1);
    const next = call(2);
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2]]);
    batches[1]!.finish();
    await expect(next).resolves.toBe(4);
    // One lane is still stuck; the other takes each call as it comes, and queues the rest behind it.
    const later = [call(3), call(4)];
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2], [3]]);
    batches[2]!.finish();
    await settled();
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2], [3], [4]]);
    batches[3]!.finish();
    await expect(Promise.all(later)).resolves.toEqual([6, 8]);
    batches[0]!.finish();
    await expect(stuck).resolves.toBe(2);
  });

  it('treats a batch that returns the wrong number of results as failed', async () => {
    const call = coalesce(async (inputs: number[]) => inputs.slice(1));
    await expect(call(1)).rejects.toThrow('batch returned 0 results for 1 inputs');
  });

  it('gives every caller the result for its own input, however calls interleave, within its lanes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer(), fc.nat(3)), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 }), async (calls, maxBatch, lanes) => {
        let inFlight = 0;
        let most = 0;
        const call = coalesce(
          async (inputs: number[]) => {
            inFlight += 1;
            most = Math.max(most, inFlight);
            await settled();
            inFlight -= 1;
            if (inputs.length > maxBatch) throw new Error('batch too big');
            return inputs.map((n) => n * 3);
          },
          { maxBatch, lanes },
        );
        const pending: Promise<number>[] = [];
        for (const [input, pause] of calls) {
          pending.push(call(input));
          for (let i = 0; i < pause; i++) await Promise.resolve();
        }
        expect(await Promise.all(pending)).toEqual(calls.map(([input]) => input * 3));
        expect(most).toBeLessThanOrEqual(lanes);
      }),
    );
  });

  it('runs same-key inputs one at a time and in call order, however calls interleave', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(4), fc.nat(3)), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 }), async (calls, maxBatch, lanes) => {
        const inFlight = new Set<number>();
        const ran: { key: number; seq: number }[] = [];
        const call = coalesce(
          async (inputs: { key: number; seq: number }[]) => {
            for (const input of inputs) {
              if (inFlight.has(input.key)) throw new Error(`key ${input.key} ran twice at once`);
              inFlight.add(input.key);
            }
            await settled();
            for (const input of inputs) inFlight.delete(input.key);
            ran.push(...inputs);
            return inputs.map((input) => input.seq);
          },
          { maxBatch, lanes, key: (input) => input.key },
        );
        const pending: Promise<number>[] = [];
        for (const [seq, [key, pause]] of calls.entries()) {
          pending.push(call({ key, seq }));
          for (let i = 0; i < pause; i++) await Promise.resolve();
        }
        expect(await Promise.all(pending)).toEqual(calls.map((_, seq) => seq));
        for (const key of new Set(calls.map(([k]) => k))) {
          const order = ran.filter((r) => r.key === key).map((r) => r.seq);
          expect(order).toEqual([...order].sort((a, b) => a - b));
        }
      }),
    );
  });
});
