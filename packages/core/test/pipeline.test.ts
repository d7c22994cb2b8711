import { describe, expect, it } from 'vitest';
import type { Decoder, Preprocessor } from '@polyinfer/core';
import { createPipeline, createRegistry, isPolyinferError, Tensor } from '@polyinfer/core';
import { conformanceModels, createMockBackend, encodeMockModel } from '@polyinfer/core/testing';

describe('Pipeline', () => {
  it('runs preprocess → session → decode and times each step', async () => {
    const registry = createRegistry();
    registry.register('mock', () => createMockBackend({ latencyMs: 20 }));
    const session = await registry.createSession(encodeMockModel(conformanceModels.dynamic));
    const preprocessor: Preprocessor<number[], { count: number }> = {
      process: (values) => ({
        feeds: { x: new Tensor('float32', Float32Array.from(values), [values.length / 4, 4]) },
        meta: { count: values.length },
      }),
    };
    const decoder: Decoder<{ count: number }, number> = {
      decode: (outputs, meta) => [...(outputs.relu?.data as Float32Array)].reduce((a, b) => a + b, 0) / meta.count,
    };
    const pipeline = createPipeline({ preprocessor, session, decoder });
    const { result, timings } = await pipeline.run([1, -1, 3, -3, 4, 0, 0, 0]);
    expect(result).toBe(1);
    expect(timings.inference).toBeGreaterThanOrEqual(15);
    expect(timings.total).toBeGreaterThanOrEqual(timings.preprocess + timings.inference + timings.decode - 0.001);
    await pipeline.dispose();
    expect(session.disposed).toBe(true);
    const error = await pipeline.run([1, 2, 3, 4]).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'USE_AFTER_DISPOSE')).toBe(true);
  });

  it('hands the feeds back to the preprocessor once the run and its decoding are over, failed or not', async () => {
    const registry = createRegistry();
    registry.register('mock', () => createMockBackend());
    const session = await registry.createSession(encodeMockModel(conformanceModels.dynamic));
    const events: string[] = [];
    const made: Tensor[] = [];
    const preprocessor: Preprocessor<number[], null> = {
      process: (values) => {
        const x = new Tensor('float32', Float32Array.from(values), [values.length / 4, 4]);
        made.push(x);
        return { feeds: { x }, meta: null };
      },
      release: (feeds) => {
        events.push('release');
        expect(feeds.x).toBe(made.at(-1));
      },
    };
    const decoder: Decoder<null, number> = {
      decode: (outputs) => {
        events.push('decode');
        const length = (outputs.relu?.data as Float32Array).length;
        if (length > 4) throw new RangeError('one row only');
        return length;
      },
    };
    const pipeline = createPipeline({ preprocessor, session, decoder });
    expect((await pipeline.run([1, 2, 3, 4])).result).toBe(4);
    expect(events).toEqual(['decode', 'release']);
    // Decoding fails: the buffers still come back.
    await expect(pipeline.run([1, 2, 3, 4, 5, 6, 7, 8])).rejects.toThrow('one row only');
    expect(events).toEqual(['decode', 'release', 'decode', 'release']);
    await pipeline.dispose();
  });
});
