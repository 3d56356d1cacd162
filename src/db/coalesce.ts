// Many concurrent callers, one statement. Calls that arrive while the batches in flight are running wait
// and go together in the next one, so under load batches grow by themselves, and a call that finds a lane
// free starts at once (no timer, no added latency when idle). Used on the hot paths: fan-out jobs above all.

export interface CoalesceOptions<I> {
  /** Most inputs in one batch. */
  maxBatch?: number;
  /** Inputs with the same key never share a batch (the later one waits for the next): one statement never writes a row twice. */
  key?: (input: I) => string | number;
  /** Batches in flight at once; more than one, so a statement stuck on a lock does not hold up every caller. */
  lanes?: number;
}

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Wraps `run`, which takes a batch of inputs and returns one output per input in the same order.
 * A batch that fails is run again one input at a time, so one bad input fails only its own caller.
 */
export function coalesce<I, O>(run: (inputs: I[]) => Promise<O[]>, options: CoalesceOptions<I> = {}): (input: I) => Promise<O> {
  const maxBatch = options.maxBatch ?? 256;
  const lanes = options.lanes ?? 2;
  let queue: Waiting<I, O>[] = [];
  let running = 0;

  const take = (): Waiting<I, O>[] => {
    if (!options.key && queue.length <= maxBatch) return queue.splice(0);
    const batch: Waiting<I, O>[] = [];
    const later: Waiting<I, O>[] = [];
    const keys = new Set<string | number>();
    for (const waiting of queue) {
      const key = options.key?.(waiting.input);
      if (batch.length >= maxBatch || (key !== undefined && keys.has(key))) later.push(waiting);
      else {
        batch.push(waiting);
        if (key !== undefined) keys.add(key);
      }
    }
    queue = later;
    return batch;
  };

  const settle = async (batch: Waiting<I, O>[]) => {
    try {
      const outputs = await run(batch.map((w) => w.input));
      if (outputs.length !== batch.length) throw new Error(`batch returned ${outputs.length} results for ${batch.length} inputs`);
      batch.forEach((w, i) => w.resolve(outputs[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const waiting of batch) await settle([waiting]);
    }
  };

  const drain = async () => {
    running += 1;
    try {
      while (queue.length > 0) await settle(take());
    } finally {
      running -= 1;
    }
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (running < lanes) void drain();
    });
}
