// The demo's OCR worker: the backends this page offers, registered in the worker, and polyinfer's worker side.
// Everything from decoding the image to decoding the outputs runs here; the page's thread only draws.
import { createRegistry } from '@polyinfer/core';
import { registerOrtWebBackend } from '@polyinfer/backend-ort-web/base';
import { registerTfjsBackend } from '@polyinfer/backend-tfjs/base';
import { serveOcrInWorker } from '@polyinfer/models';

const registry = createRegistry();
// The runtime's .wasm files are served at /ort/ and tfjs' at /tfjs/ (see src/serve-demo.ts).
registerOrtWebBackend(registry, { wasmPaths: '/ort/', numThreads: Math.min(4, navigator.hardwareConcurrency || 2) });
registerTfjsBackend(registry);
serveOcrInWorker({ registry });
