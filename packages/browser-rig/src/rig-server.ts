import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  OCR_MODEL_MANIFEST,
  PPOCR_V4_MODELS,
  prepareBrowserOcrModels,
  resolveModelFile,
  SAMPLES_DIR,
} from '@polyinfer/models';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

export interface RigServer {
  url: string;
  close(): Promise<void>;
}

export interface RigServerOptions {
  /** The folder of the built page (default: this package's dist-page). */
  pageDir?: string;
  /** Cross-origin isolation headers (default true): without them SharedArrayBuffer, and so wasm threads, are off. */
  isolated?: boolean;
  /** Extra URL prefix → folder mounts. */
  mounts?: Record<string, string>;
  /** Extra single files: URL path (e.g. "/bench/model.onnx") → local file. */
  files?: Record<string, string>;
  /** Told of every request the server answers (path, status, bytes sent): tests count what a page downloads. */
  onRequest?: (request: { path: string; status: number; bytes: number }) => void;
}

/**
 * The simplified files and their manifest, prepared once per process: every browser cell of a benchmark starts a
 * server, and hashing ~15 MB of models for each would be the same work again.
 */
let browserOcrModels: ReturnType<typeof prepareBrowserOcrModels> | undefined;
function browserModelsOnce(): ReturnType<typeof prepareBrowserOcrModels> {
  if (!browserOcrModels) {
    browserOcrModels = prepareBrowserOcrModels();
    // A failure is not kept: the next server tries again.
    browserOcrModels.catch(() => (browserOcrModels = undefined));
  }
  return browserOcrModels;
}

/**
 * Serves the page, onnxruntime-web's runtime files (/ort/), tfjs-backend-wasm's (/tfjs/), pdf.js's worker (/pdfjs/), the model files (/models/: the
 * shipped ones from their npm package, and the simplified variant listed with sha256 in /models/ocr-models.json) and
 * the sample images (/samples/) on 127.0.0.1 only.
 */
export async function startRigServer(options: RigServerOptions = {}): Promise<RigServer> {
  const require = createRequire(import.meta.url);
  const ortDist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  const tfjsWasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const pdfjsWorkerDir = dirname(
    createRequire(require.resolve('@polyinfer/documents')).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'),
  );
  const modelFiles = new Map<string, string>();
  for (const descriptor of PPOCR_V4_MODELS) {
    for (const file of [descriptor.model, ...Object.values(descriptor.assets ?? {})]) {
      const path = await resolveModelFile(file);
      modelFiles.set(path.split(sep).pop() as string, path);
    }
  }
  const browserModels = await browserModelsOnce();
  for (const [name, path] of Object.entries(browserModels.files)) modelFiles.set(name, path);
  const manifestBody = JSON.stringify(browserModels.manifest, null, 2);
  const mounts: Record<string, string> = {
    '/ort/': ortDist,
    '/tfjs/': tfjsWasmDist,
    '/pdfjs/': pdfjsWorkerDir,
    '/samples/': SAMPLES_DIR,
    ...options.mounts,
    '/': options.pageDir ?? fileURLToPath(new URL('../dist-page/', import.meta.url)),
  };
  const isolated = options.isolated ?? true;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const pathname = decodeURIComponent(url.pathname);
      if (pathname === `/models/${OCR_MODEL_MANIFEST}`) {
        res
          .writeHead(200, {
            'content-type': MIME['.json'] as string,
            'cache-control': 'no-store',
            'cross-origin-resource-policy': 'same-origin',
          })
          .end(manifestBody);
        options.onRequest?.({ path: pathname, status: 200, bytes: manifestBody.length });
        return;
      }
      let file: string | undefined;
      if (options.files?.[pathname]) file = options.files[pathname];
      else if (pathname.startsWith('/models/')) file = modelFiles.get(pathname.slice('/models/'.length));
      else {
        const prefix = Object.keys(mounts).find((p) => pathname.startsWith(p)) as string;
        const root = mounts[prefix] as string;
        const candidate = normalize(join(root, pathname.slice(prefix.length) || 'index.html'));
        if (candidate.startsWith(normalize(root))) file = candidate;
      }
      const info = file ? await stat(file).catch(() => undefined) : undefined;
      if (!file || !info?.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        options.onRequest?.({ path: pathname, status: 404, bytes: 0 });
        return;
      }
      const headers: Record<string, string | number> = {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-store',
        'cross-origin-resource-policy': 'same-origin',
      };
      if (isolated) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      res.writeHead(200, headers);
      createReadStream(file).pipe(res);
      options.onRequest?.({ path: pathname, status: 200, bytes: info.size });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
