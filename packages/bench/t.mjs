import { createOcrPipeline, SAMPLES_DIR } from '@polyinfer/models';
import { createRegistry } from '@polyinfer/core';
import { registerOrtWebBackend } from '@polyinfer/backend-ort-web';
const registry = createRegistry();
registerOrtWebBackend(registry, { numThreads: Number(process.env.T ?? 2) });
const ocr = await createOcrPipeline({ registry, backend: 'ort-web', devices: ['wasm'], strict: true, modelVariant: 'simplified' });
for (let i = 0; i < 4; i++) for (const s of ['receipt.png', 'fonts.png']) {
  const r = await ocr.run(`${SAMPLES_DIR}/${s}`);
  const t = r.timings;
  console.log(s, r.lines.length, 'total', t.total.toFixed(0), 'decode', t.decode.toFixed(0), 'det', t.detection.inference.toFixed(0), 'pre', (t.detection.preprocess + t.recognition.preprocess + t.classification.preprocess).toFixed(0), 'cls', t.classification.inference.toFixed(0), 'rec', t.recognition.inference.toFixed(0), 'dec', (t.detection.decode + t.recognition.decode).toFixed(0));
}
await ocr.dispose();
