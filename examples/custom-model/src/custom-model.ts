/**
 * Bring your own ONNX image classifier: `createClassificationPipeline` decodes, resizes and normalises as the model
 * expects, runs it on the backend the registry picks, and returns the top classes with labels.
 *
 *   node dist/custom-model.js [image]      (default: a blue test card the example draws itself)
 */
import '@polyinfer/backend-ort-node'; // registers onnxruntime-node with the default registry
import type { ImageInput } from '@polyinfer/preprocess';
import type { ClassScore } from '@polyinfer/models/classification';
import { createClassificationPipeline } from '@polyinfer/models/classification';
import sharp from 'sharp';
import { COLOUR_LABELS, colourClassifierModel } from './colour-classifier-model.js';

export async function classify(input: ImageInput): Promise<{ top: ClassScore[]; timings: Record<string, number> }> {
  // Your model: a path to an .onnx file or its bytes. This one takes 32×32 RGB in 0–1 (no ImageNet mean/std), the
  // whole image stretched, and ends in a Softmax (read as probabilities, not softmaxed again).
  const classifier = await createClassificationPipeline({
    model: colourClassifierModel(),
    devices: ['cpu'],
    labels: COLOUR_LABELS,
    topK: 3,
    resize: 'stretch',
    normalize: { scale: 1 / 255 },
  });
  try {
    const { classes, timings } = await classifier.run(input);
    return { top: classes, timings: { ...timings } };
  } finally {
    await classifier.dispose(); // disposes the session too
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
  console.log(
    `decode ${timings.decode?.toFixed(2)} ms, preprocess ${timings.preprocess?.toFixed(2)} ms, inference ${timings.inference?.toFixed(2)} ms`,
  );
}
