import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleGroundTruth } from '@polyinfer/models';
import { composeAndRun } from '../src/compose-pipeline.js';

const config = (name: string): string => fileURLToPath(new URL(`../configs/${name}`, import.meta.url));

describe('compose-pipeline example', () => {
  it('the mixed config and the all-ort-web config read the same text', async () => {
    const mixed = await composeAndRun(config('mixed.json'));
    const web = await composeAndRun(config('all-ort-web.json'));
    expect(mixed.lines).toEqual(sampleGroundTruth()['receipt.png']);
    expect(web.lines).toEqual(mixed.lines);
    expect(mixed.report).toContain('det=ort-node:cpu');
    expect(mixed.report).toContain('rec=ort-web:wasm');
    expect(web.report).toContain('det=ort-web:wasm');
  });
});
