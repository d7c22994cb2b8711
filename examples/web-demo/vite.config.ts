import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The demo bundles polyinfer's browser entries as a user's app would; onnxruntime-web's .wasm files, the models and
// the sample images are served beside it by the browser rig's server (src/serve-demo.ts): nothing from outside.
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: './',
  // The OCR worker imports its backends' runtimes on demand: ES module workers keep those imports code-split.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist-page', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
});
