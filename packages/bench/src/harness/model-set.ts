import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { writeTensorFile } from './tensor-file.js';
import { basename, join, resolve } from 'node:path';
import { CLASSIC_CNNS, reweightedPath } from '@polyinfer/model-fixtures';
import type { DataType } from '@polyinfer/core';
import type { NormalizeOptions } from '@polyinfer/preprocess';
import { PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_REC, resolveModelFile, SAMPLES_DIR } from '@polyinfer/models';

export interface BenchInput {
  name: string;
  dims: number[];
  /** The input's dtype (default float32). */
  dtype?: DataType;
  /** The prepared input tensor (see tensor-file.ts), shared by every cell (set by the harness). */
  file?: string;
}

/** A real picture for an image model, resized to the input and normalised as the model expects. */
export interface ImageSource {
  path: string;
  normalize: NormalizeOptions;
  /** The part of the image to use (a text line for the line models), in pixels. */
  region?: { left: number; top: number; width: number; height: number };
}

/** One row of the matrix: a model file with fixed input shapes, or a task's whole pipeline over a folder of images. */
export type BenchModel =
  | {
      kind: 'tensor';
      id: string;
      title: string;
      /** Other names `--models` accepts: the model descriptor's id (the name `polyinfer models` and `serve` use). */
      aliases?: string[];
      /** A local .onnx file (resolved, integrity checked, re-weighted where needed). */
      path: string;
      /** Input name → dims, or the model's own when empty (filled in by the cell). */
      inputs: BenchInput[];
      /**
       * 'image': a real rendered image (`image`), so outputs carry signal: a detection map of text, not the near-zero
       * map of noise; 'random': seeded uniform values (user models).
       */
      input: 'image' | 'image-like' | 'random';
      image?: ImageSource;
      /** A user's model: how its inputs are to be made (prepared into `inputs` by the harness). */
      user?: UserModelInputs;
      seed: number;
      /** Small and fast enough for a software WebGPU adapter in the default run. */
      lightForSoftwareGpu: boolean;
    }
  | {
      kind: 'task';
      /** A task of BENCH_TASKS (ocr, detect, classify). */
      task: string;
      id: string;
      title: string;
      images: string[];
      /** The user's model for a task that needs one (detect, classify). */
      modelPath?: string;
      /** Per image, what a correct result summarises to (OCR: the lines of text). */
      groundTruth?: Record<string, unknown>;
    };

/** Whether `name` (from --models) names this model, by id or alias. */
export const modelNamed = (model: BenchModel, name: string): boolean =>
  model.id === name || (model.kind === 'tensor' && (model.aliases ?? []).includes(name));

/** The OCR pipeline's images: the shipped samples, or a folder's PNG/JPEG files (its ground-truth.json, if any, for CER). */
function imagesOf(dir: string): { images: string[]; groundTruth?: Record<string, string[]> } {
  const images = readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (images.length === 0) throw new Error(`no PNG or JPEG images in ${dir}`);
  const truthFile = join(dir, 'ground-truth.json');
  return existsSync(truthFile)
    ? { images, groundTruth: JSON.parse(readFileSync(truthFile, 'utf8')) as Record<string, string[]> }
    : { images };
}

export async function builtinModels(ocrImagesDir?: string): Promise<BenchModel[]> {
  const [det, rec, cls] = await Promise.all(
    [PPOCR_V4_DET, PPOCR_V4_REC, PPOCR_MOBILE_V2_CLS].map((m) => resolveModelFile(m.model)),
  );
  const { images, groundTruth } = imagesOf(ocrImagesDir ?? SAMPLES_DIR);
  // Real text: the receipt for detection (and the CNNs), one line of it for recognition and the angle classifier.
  const page = { path: join(SAMPLES_DIR, 'receipt.png'), normalize: PPOCR_V4_DET.preprocessing };
  // "12 Harbour Street" (the receipt's second line), with a little margin, as the OCR pipeline crops it.
  const line = {
    path: join(SAMPLES_DIR, 'receipt.png'),
    normalize: PPOCR_V4_REC.preprocessing,
    region: { left: 150, top: 74, width: 224, height: 38 },
  };
  const imagenet: ImageSource = {
    path: join(SAMPLES_DIR, 'receipt.png'),
    normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  };
  const models: BenchModel[] = [
    {
      kind: 'tensor',
      id: 'ppocr-det-640',
      aliases: [PPOCR_V4_DET.id],
      title: 'PP-OCRv4 det 640×640',
      path: det as string,
      inputs: [{ name: 'x', dims: [1, 3, 640, 640] }],
      input: 'image',
      image: page,
      seed: 1,
      lightForSoftwareGpu: false,
    },
    {
      kind: 'tensor',
      id: 'ppocr-det-960',
      title: 'PP-OCRv4 det 960×960',
      path: det as string,
      inputs: [{ name: 'x', dims: [1, 3, 960, 960] }],
      input: 'image',
      image: page,
      seed: 1,
      lightForSoftwareGpu: false,
    },
    {
      kind: 'tensor',
      id: 'ppocr-rec-320',
      aliases: [PPOCR_V4_REC.id],
      title: 'PP-OCRv4 rec 48×320',
      path: rec as string,
      inputs: [{ name: 'x', dims: [1, 3, 48, 320] }],
      input: 'image',
      image: line,
      seed: 1,
      lightForSoftwareGpu: false,
    },
    {
      kind: 'tensor',
      id: 'ppocr-cls-192',
      aliases: [PPOCR_MOBILE_V2_CLS.id],
      title: 'PP-OCR cls 48×192',
      path: cls as string,
      inputs: [{ name: 'x', dims: [1, 3, 48, 192] }],
      input: 'image',
      image: line,
      seed: 1,
      lightForSoftwareGpu: true,
    },
    {
      kind: 'task',
      task: 'ocr',
      id: 'ppocr-pipeline',
      title: `PP-OCRv4 pipeline, ${images.length} images${ocrImagesDir ? ` from ${basename(ocrImagesDir)}` : ''}`,
      images,
      ...(groundTruth ? { groundTruth } : {}),
    },
  ];
  for (const name of CLASSIC_CNNS) {
    models.push({
      kind: 'tensor',
      id: name.replace('_', '-'),
      title: `${name} 224×224 (onnx-light, re-weighted)`,
      path: reweightedPath(name),
      inputs: [{ name: 'data_0', dims: [1, 3, 224, 224] }],
      input: 'image',
      image: imagenet,
      seed: 1,
      lightForSoftwareGpu: name === 'squeezenet',
    });
  }
  return models;
}

/**
 * `--task detect|classify --model path.onnx`: the task's pipeline around the user's model, over a folder of images
 * (default: the bundled samples).
 */
export function userTaskModel(task: string, path: string, imagesDir?: string): BenchModel {
  const { images } = imagesOf(imagesDir ?? SAMPLES_DIR);
  return {
    kind: 'task',
    task,
    id: `${task}-${basename(path).replace(/\.onnx$/, '')}`,
    title: `${task}: ${basename(path)} (user model), ${images.length} images`,
    images,
    modelPath: resolve(path),
  };
}

/** How the user asked a model of theirs to be fed: `--shape`, `--input-range`, `--input name=file.npy`. */
export interface UserModelInputs {
  shapes: string[];
  ranges?: string[];
  npy?: string[];
}

/** `--model path.onnx`: inputs prepared from the model's own signature (see prepareUserInputs). */
export function userModel(path: string, inputs: UserModelInputs, seed: number): BenchModel {
  return {
    kind: 'tensor',
    id: basename(path).replace(/\.onnx$/, ''),
    title: `${basename(path)} (user model)`,
    path: resolve(path),
    inputs: [],
    input: 'random',
    user: inputs,
    seed,
    lightForSoftwareGpu: true,
  };
}

/**
 * Writes each real-image input of a model as float32 bytes in `dir` and returns the model with the files set: every
 * cell (Node child or browser page) then feeds exactly the same tensor.
 */
export async function prepareImageInputs(model: BenchModel, dir: string): Promise<BenchModel> {
  if (model.kind !== 'tensor' || model.input !== 'image' || !model.image) return model;
  const { cropImage, decodeImage, imageToTensor, resizeImage } = await import('@polyinfer/preprocess');
  const whole = await decodeImage(model.image.path);
  const region = model.image.region;
  const image = region ? cropImage(whole, region.left, region.top, region.width, region.height) : whole;
  mkdirSync(dir, { recursive: true });
  const inputs = await Promise.all(
    model.inputs.map(async (input) => {
      const [, , height, width] = input.dims as [number, number, number, number];
      const file = join(dir, `${model.id}-${input.name.replace(/[^\w.-]/g, '_')}.bin`);
      writeTensorFile(file, imageToTensor(await resizeImage(image, width, height), model.image?.normalize ?? {}));
      return { ...input, dtype: 'float32' as const, file };
    }),
  );
  return { ...model, inputs };
}
