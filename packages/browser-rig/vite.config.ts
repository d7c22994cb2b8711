import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';

// onnxruntime-web's bundle names its .wasm with `new URL(…, import.meta.url)`, so vite would copy 28 MB of it into
// the page. The page never loads that copy (wasmPaths points at /ort/, served from the installed onnxruntime-web), so
// it is left out of the build — and of the published package.
const dropRuntimeWasm: Plugin = {
  name: 'polyinfer-drop-runtime-wasm',
  generateBundle(_options, bundle) {
    for (const file of Object.keys(bundle)) if (file.endsWith('.wasm')) delete bundle[file];
  },
};

// The page bundles polyinfer's browser entries as a user's app would; the runtime's .wasm files and the models are
// served beside it by the rig's server (see src/rig-server.ts), never fetched from outside.
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: './',
  plugins: [dropRuntimeWasm],
  build: {
    outDir: fileURLToPath(new URL('./dist-page', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
});
