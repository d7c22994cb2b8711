/**
 * Bring your own ONNX classifier: wrap it in a Preprocessor (decode → resize → normalise) and a top-k Decoder,
 * compose them with a session into a Pipeline, and classify an image.
 *
 *   node dist/custom-model.js [image]      (default: a blue test card the example draws itself)
 */
import type { Preprocessor } from '@polyinfer/core';
import { createPipeline, defaultRegistry } from '@polyinfer/core';
import '@polyinfer/backend-ort-node'; // registers onnxruntime-node with the default registry
import type { ImageInput } from '@polyinfer/preprocess';
import { decodeImage, imageToTensor, resizeImage } from '@polyinfer/preprocess';
import type { ClassScore } from '@polyinfer/models';
import { TopKDecoder } from '@polyinfer/models';
import sharp from 'sharp';
import { COLOUR_LABELS, colourClassifierModel } from './colour-classifier-model.js';

/** Any image → the model's [1, 3, 32, 32] input in 0–1 RGB. */
const preprocessor: Preprocessor<ImageInput, undefined> = {
  async process(input) {
    const image = await resizeImage(await decodeImage(input), 32, 32);
    return { feeds: { image: imageToTensor(image) }, meta: undefined };
  },
};

export async function classify(input: ImageInput): Promise<{ top: ClassScore[]; timings: Record<string, number> }> {
  // Your model: a path to an .onnx file or its bytes. The registry picks the backend (or name one in the config).
  const session = await defaultRegistry.createSession(colourClassifierModel(), { devices: ['cpu'] });
  const pipeline = createPipeline({ preprocessor, session, decoder: new TopKDecoder({ k: 3, labels: COLOUR_LABELS }) });
  try {
    const { result, timings } = await pipeline.run(input);
    return { top: result[0] ?? [], timings: { ...timings } };
  } finally {
    await pipeline.dispose(); // disposes the session too
  }
}

/** A test card: a solid colour with a white border. */
export function testCard(rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .extend({ top: 4, bottom: 4, left: 4, right: 4, background: '#ffffff' })
    .png()
    .toBuffer();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const input = process.argv[2] ?? (await testCard([30, 60, 200]));
  const { top, timings } = await classify(input);
  for (const c of top) console.log(`${c.label.padEnd(6)} ${(c.score * 100).toFixed(1)} %`);
  console.log(`preprocess ${timings.preprocess?.toFixed(2)} ms, inference ${timings.inference?.toFixed(2)} ms, decode ${timings.decode?.toFixed(2)} ms`);
}
