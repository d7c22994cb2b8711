import { describe, expect, it } from 'vitest';
import type { OcrResult } from '@polyinfer/models';
import { runInOrder } from '@polyinfer/models';

const zero = { preprocess: 0, inference: 0, decode: 0, total: 0 };
const box: OcrResult['lines'][number]['box'] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];
const resultFor = (text: string): OcrResult => {
  const line = { text, confidence: 1, box, angle: 0 as const, words: [{ text, confidence: 1, box }] };
  return {
    width: 1,
    height: 1,
    blocks: [{ box, lines: [line] }],
    lines: [line],
    text,
    timings: { decode: 0, detection: zero, classification: zero, recognition: zero, total: 0 },
  };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runInOrder (ocr.runMany / ocr.stream)', () => {
  it('keeps at most inFlight running, yields in input order though they finish out of order, and reports progress', async () => {
    let running = 0;
    let most = 0;
    const delays: Record<string, number> = { a: 40, b: 5, c: 20, d: 1, e: 10 };
    const progress: number[] = [];
    const items = [];
    for await (const item of runInOrder(
      Object.keys(delays),
      async (name) => {
        most = Math.max(most, ++running);
        await sleep(delays[name] as number);
        running--;
        return resultFor(name);
      },
      { inFlight: 3, onProgress: (done, total) => progress.push(done * 10 + total) },
    ))
      items.push(item);
    expect(items.map((i) => ('result' in i ? i.result.lines[0]?.text : 'error'))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(items.map((i) => i.index)).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(3);
    expect(progress).toEqual([15, 25, 35, 45, 55]);
  });

  it('yields a failing image with its error and goes on with the rest', async () => {
    const items = [];
    for await (const item of runInOrder(
      ['ok1', 'bad', 'ok2'],
      async (name) => (name === 'bad' ? Promise.reject(new Error('cannot decode bad')) : resultFor(name)),
      { inFlight: 2 },
    ))
      items.push(item);
    expect(items.map((i) => ('result' in i ? i.result.lines[0]?.text : i.error.message))).toEqual([
      'ok1',
      'cannot decode bad',
      'ok2',
    ]);
  });

  it('starts nothing new once aborted, and still yields what was in flight', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const items = [];
    for await (const item of runInOrder(
      ['a', 'b', 'c', 'd'],
      async (name) => {
        started.push(name);
        await sleep(5);
        return resultFor(name);
      },
      { inFlight: 2, signal: controller.signal },
    )) {
      items.push(item);
      controller.abort();
    }
    // 'c' took the place 'a' left before the consumer saw 'a' and aborted; 'd' never starts.
    expect(started).toEqual(['a', 'b', 'c']);
    expect(items.map((i) => i.index)).toEqual([0, 1, 2]);
  });
});
