// Many concurrent callers, one statement. Calls that arrive while the batches in flight are running wait
// and go together in the next one, so under load batches grow by themselves, and a call that finds a lane
// free starts at once (no timer, no added latency when idle). Used on the hot paths: fan-out jobs above all.

export interface CoalesceOptions<I> {
  /** Most inputs in one batch. */
  maxBatch?: number;
  /**
   * Inputs with the same key never run at the same time (the later one waits for a later batch, even in
   * another lane), so one statement never writes a row twice, and writes to one row land in call order.
   */
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
  // Keys of the inputs in every batch in flight.
  const busy = new Set<string | number>();

  const take = (): { batch: Waiting<I, O>[]; keys: (string | number)[] } => {
    if (!options.key && queue.length <= maxBatch) return { batch: queue.splice(0), keys: [] };
    const batch: Waiting<I, O>[] = [];
    const later: Waiting<I, O>[] = [];
    const taken: (string | number)[] = [];
    for (const waiting of queue) {
      const key = options.key?.(waiting.input);
      if (batch.length >= maxBatch || (key !== undefined && busy.has(key))) later.push(waiting);
      else {
        batch.push(waiting);
        if (key !== undefined) {
          busy.add(key);
          taken.push(key);
        }
      }
    }
    queue = later;
    return { batch, keys: taken };
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
      while (queue.length > 0) {
        const { batch, keys } = take();
        // Everything waiting has a key in flight: the lane running it takes it next.
        if (batch.length === 0) break;
        try {
          await settle(batch);
        } finally {
          for (const key of keys) busy.delete(key);
        }
      }
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
