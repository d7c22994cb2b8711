import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CLASSIC_CNNS, reweightedPath } from '@polyinfer/model-fixtures';
import { PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_REC, resolveModelFile, SAMPLES_DIR } from '@polyinfer/models';

export interface BenchInput {
  name: string;
  dims: number[];
}

/** One row of the matrix: a model file with fixed input shapes, or the whole OCR pipeline over a folder of images. */
export type BenchModel =
  | {
      kind: 'tensor';
      id: string;
      title: string;
      /** A local .onnx file (resolved, integrity checked, re-weighted where needed). */
      path: string;
      /** Input name → dims, or the model's own when empty (filled in by the cell). */
      inputs: BenchInput[];
      input: 'image-like' | 'random';
      seed: number;
      /** Small and fast enough for a software WebGPU adapter in the default run. */
      lightForSoftwareGpu: boolean;
    }
  | { kind: 'ocr'; id: string; title: string; images: string[]; groundTruth?: Record<string, string[]> };

export async function builtinModels(): Promise<BenchModel[]> {
  const [det, rec, cls] = await Promise.all([PPOCR_V4_DET, PPOCR_V4_REC, PPOCR_MOBILE_V2_CLS].map((m) => resolveModelFile(m.model)));
  const images = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.png')).map((f) => join(SAMPLES_DIR, f));
  const groundTruth = JSON.parse(readFileSync(join(SAMPLES_DIR, 'ground-truth.json'), 'utf8')) as Record<string, string[]>;
  const models: BenchModel[] = [
    { kind: 'tensor', id: 'ppocr-det-640', title: 'PP-OCRv4 det 640×640', path: det as string, inputs: [{ name: 'x', dims: [1, 3, 640, 640] }], input: 'image-like', seed: 1, lightForSoftwareGpu: false },
    { kind: 'tensor', id: 'ppocr-det-960', title: 'PP-OCRv4 det 960×960', path: det as string, inputs: [{ name: 'x', dims: [1, 3, 960, 960] }], input: 'image-like', seed: 1, lightForSoftwareGpu: false },
    { kind: 'tensor', id: 'ppocr-rec-320', title: 'PP-OCRv4 rec 48×320', path: rec as string, inputs: [{ name: 'x', dims: [1, 3, 48, 320] }], input: 'image-like', seed: 1, lightForSoftwareGpu: false },
    { kind: 'tensor', id: 'ppocr-cls-192', title: 'PP-OCR cls 48×192', path: cls as string, inputs: [{ name: 'x', dims: [1, 3, 48, 192] }], input: 'image-like', seed: 1, lightForSoftwareGpu: true },
    { kind: 'ocr', id: 'ppocr-pipeline', title: `PP-OCRv4 pipeline, ${images.length} images`, images, groundTruth },
  ];
  for (const name of CLASSIC_CNNS) {
    models.push({
      kind: 'tensor',
      id: name.replace('_', '-'),
      title: `${name} 224×224 (onnx-light, re-weighted)`,
      path: reweightedPath(name),
      inputs: [{ name: 'data_0', dims: [1, 3, 224, 224] }],
      input: 'image-like',
      seed: 1,
      lightForSoftwareGpu: name === 'squeezenet',
    });
  }
  return models;
}

/** `--model path.onnx` with `--shape name=1x3x224x224` (inputs not named take the model's own static shape). */
export function userModel(path: string, shapes: string[], seed: number): BenchModel {
  const inputs = shapes.map((s) => {
    const [name, dims] = s.split('=');
    return { name: name as string, dims: (dims ?? '').split(/[x×,]/).map(Number) };
  });
  return { kind: 'tensor', id: basename(path).replace(/\.onnx$/, ''), title: `${basename(path)} (user model)`, path: resolve(path), inputs, input: 'random', seed, lightForSoftwareGpu: true };
}
