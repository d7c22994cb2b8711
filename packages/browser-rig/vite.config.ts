import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page bundles polyinfer's browser entries as a user's app would; the runtime's .wasm files and the models are
// served beside it by the rig's server (see src/rig-server.ts), never fetched from outside.
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('./dist-page', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
});
