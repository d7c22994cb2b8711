import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reweightConstantOfShape } from './reweight-onnx.js';

/** The seven ImageNet-era architectures shipped in `onnx-light/` (ONNX project test data, Apache-2.0). */
export const CLASSIC_CNNS = [
  'alexnet',
  'inception_v1',
  'resnet50',
  'shufflenet',
  'squeezenet',
  'vgg19',
  'zfnet512',
] as const;

export type ClassicCnn = (typeof CLASSIC_CNNS)[number];

export const ONNX_LIGHT_DIR = fileURLToPath(new URL('../onnx-light/', import.meta.url));

/** The original model: every weight a ConstantOfShape, so every backend agrees trivially (see reweightedPath). */
export function lightModelPath(name: ClassicCnn): string {
  return join(ONNX_LIGHT_DIR, name === 'alexnet' ? 'light_bvlc_alexnet.onnx' : `light_${name}.onnx`);
}

/** The ONNX reference evaluator's output for x[i] = i / n, stored beside the model. */
export function lightExpectedOutputPath(name: ClassicCnn): string {
  return lightModelPath(name).replace(/\.onnx$/, '_output_0.pb');
}

/** Where generated copies go: `fixtures/` in polyinfer's cache ($POLYINFER_CACHE or ~/.cache/polyinfer, as for models). */
export function fixtureCacheDir(): string {
  const dir = join(process.env.POLYINFER_CACHE ?? join(homedir(), '.cache', 'polyinfer'), 'fixtures');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A deterministic re-weighted copy (seeded, non-constant weights), written once and reused. */
export function reweightedPath(name: ClassicCnn, seed = 7): string {
  const target = join(fixtureCacheDir(), `${name}-reweighted-${seed}.onnx`);
  if (!existsSync(target)) {
    // Written beside, then renamed: two processes building the same copy never read a half-written file.
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, reweightConstantOfShape(readFileSync(lightModelPath(name)), seed).bytes);
    renameSync(partial, target);
  }
  return target;
}
