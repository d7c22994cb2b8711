import type { Backend } from '@polyinfer/core';
import { imageLikeTensor, runConformanceChecks } from '@polyinfer/core/testing';
import { createRegistry } from '@polyinfer/core';
import type { Tensor } from '@polyinfer/core';
import { registerCatalogue, wasmConfigs } from '@polyinfer/backends';
import { createOcrPipeline, DetectionPreprocessor, PPOCR_V4_DET, PPOCR_V4_REC } from '@polyinfer/models';
import { decodeImage, imageToTensor, limitSideSize, resizeImage, warpQuad } from '@polyinfer/preprocess';
import type { Quad } from '@polyinfer/preprocess';
import type { PageCaseSpec, PageCellSpec, PageEnvironment } from '../src/page-types.js';
import { encodePagePicture, ocrDocument, toSearchablePdf } from '@polyinfer/documents';
import { benchCell } from './bench-cell.js';
import { runConformanceCase } from './conformance-case.js';

// The functions the Node side calls with page.evaluate. Results are plain JSON; float arrays travel as base64.

const WASM_PATHS = '/ort/';
// Every backend the catalogue has for pages, each created once (lazily) for the page's lifetime.
const pageRegistry = (): ReturnType<typeof createRegistry> =>
  registerCatalogue(createRegistry(), 'browser', wasmConfigs({ paths: WASM_PATHS, threads: 2 }));
const backends = pageRegistry();
/** The backend a call names; by default the first the catalogue has for pages (onnxruntime-web). */
const backendNamed = (name?: string): Promise<Backend> => backends.get(name ?? (backends.names[0] as string));

function base64OfFloats(data: Float32Array): string {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const rig = {
  async environment() {
    // The default backend describes its WebAssembly environment (threads, platform) where it has one.
    const b = (await backendNamed()) as Backend & { environment?: PageEnvironment['ortWeb'] };
    const gpu = (
      navigator as unknown as {
        gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string } } | null> };
      }
    ).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    return {
      crossOriginIsolated,
      userAgent: navigator.userAgent,
      ortWeb: b.environment ?? { platform: 'unknown', numThreads: 1 },
      webgpu: adapter ? { vendor: adapter.info?.vendor ?? '', architecture: adapter.info?.architecture ?? '' } : null,
    };
  },
  async probe(device: string, backendName?: string) {
    return (await backendNamed(backendName)).probe(device);
  },
  async conformance(device: string, backendName?: string) {
    return runConformanceChecks({ backend: await backendNamed(backendName), device });
  },
  /** Runs a model file on the image-like input and returns every output. */
  async runModel(modelUrl: string, dims: number[], device: string, backendName?: string) {
    const session = await (await backendNamed(backendName)).createSession(modelUrl, { device });
    try {
      const start = performance.now();
      const outputs = await session.run({ [session.inputs[0]?.name ?? 'x']: imageLikeTensor(dims) });
      const ms = performance.now() - start;
      return {
        ms,
        outputs: Object.fromEntries(
          Object.entries(outputs).map(([name, t]) => [
            name,
            { dims: [...t.dims], base64: base64OfFloats(t.data as Float32Array) },
          ]),
        ),
      };
    } finally {
      await session.dispose();
    }
  },
  async ocr(imageUrl: string, devices: string[], backendName?: string) {
    const registry = pageRegistry();
    const ocr = await createOcrPipeline({
      registry,
      backend: backendName ?? (registry.names[0] as string),
      devices,
      modelBaseUrl: '/models/',
    });
    try {
      const result = await ocr.run(imageUrl);
      return { lines: result.lines.map((l) => l.text), stages: ocr.stages, totalMs: result.timings.total };
    } finally {
      await ocr.dispose();
    }
  },
  /**
   * A PDF (base64) read page by page in the page: pdf.js renders each page with its worker, the OCR pipeline reads it,
   * and a searchable PDF is written back (base64) with each page's picture encoded by the browser.
   */
  async ocrPdf(pdfBase64: string, devices: string[]) {
    const registry = pageRegistry();
    const ocr = await createOcrPipeline({
      registry,
      backend: registry.names[0] as string,
      devices,
      modelBaseUrl: '/models/',
    });
    try {
      const bytes = Uint8Array.from(atob(pdfBase64), (c) => c.charCodeAt(0));
      const pages: { page: number; lines: string[]; hasTextLayer?: boolean; error?: string }[] = [];
      const pictures = [];
      for await (const outcome of ocrDocument(ocr, bytes, { source: 'scan.pdf', workerSrc: '/pdfjs/pdf.worker.mjs' })) {
        if (outcome.error) {
          pages.push({ page: outcome.page, lines: [], error: outcome.error.message });
          continue;
        }
        const { result, picture } = outcome;
        pages.push({ page: result.page, lines: result.lines.map((l) => l.text), hasTextLayer: result.hasTextLayer });
        if ('pixels' in picture)
          pictures.push({ result, image: await encodePagePicture(picture.pixels), dpi: picture.dpi });
      }
      const searchable = await toSearchablePdf(pictures);
      let binary = '';
      for (const byte of searchable.bytes) binary += String.fromCharCode(byte);
      return { pages, searchablePdf: btoa(binary) };
    } finally {
      await ocr.dispose();
    }
  },
  /** The detection input of an image and the recognition input of one quad of it, as the OCR pipeline makes them. */
  async preprocess(imageUrl: string, quad: Quad, lineWidth: number) {
    const image = await decodeImage(imageUrl);
    const det = PPOCR_V4_DET.preprocessing;
    const prepared = await new DetectionPreprocessor({
      limitSideLen: det.limitSideLen ?? 960,
      limitType: 'max',
      multiple: det.multiple ?? 32,
      normalize: det,
      inputName: 'x',
    }).process(image);
    const detTensor = prepared.feeds.x as Tensor;
    const line = imageToTensor(warpQuad(image, quad, lineWidth, 48), PPOCR_V4_REC.preprocessing);
    // What the page used before: the canvas' own resampling.
    const size = limitSideSize(image.width, image.height, {
      limitSideLen: det.limitSideLen ?? 960,
      limitType: 'max',
      multiple: det.multiple ?? 32,
    });
    const byCanvas = imageToTensor(await resizeImage(image, size.width, size.height), det);
    return {
      det: { dims: [...detTensor.dims], base64: base64OfFloats(detTensor.data as Float32Array) },
      detByCanvas: base64OfFloats(byCanvas.data as Float32Array),
      line: { dims: [...line.dims], base64: base64OfFloats(line.data as Float32Array) },
    };
  },
  /**
   * Decodes images (bytes as base64) as the OCR pipeline does in a page, all at once: size and RGB pixels (base64) of
   * each, or its error.
   */
  async decode(...images: string[]) {
    return Promise.all(
      images.map(async (bytesBase64) => {
        const bytes = Uint8Array.from(atob(bytesBase64), (c) => c.charCodeAt(0));
        try {
          const image = await decodeImage(bytes);
          let binary = '';
          for (let i = 0; i < image.data.length; i += 0x8000)
            binary += String.fromCharCode(...image.data.subarray(i, i + 0x8000));
          return { width: image.width, height: image.height, base64: btoa(binary) };
        } catch (error) {
          return {
            error: {
              name: (error as Error).name,
              code: (error as { code?: string }).code,
              message: (error as Error).message,
            },
          };
        }
      }),
    );
  },
  benchCell(spec: PageCellSpec) {
    return benchCell(spec, WASM_PATHS);
  },
  conformanceCase(spec: PageCaseSpec) {
    return runConformanceCase(spec, WASM_PATHS);
  },
  /** create → run → dispose, `count` times; memory measured before and after (bounded waits). */
  async disposeLoop(modelUrl: string, dims: number[], device: string, count: number) {
    // One method for both measurements: the page's whole memory after a GC where Chromium offers it (the rig turns
    // on ForceEagerMeasureMemory, so it answers at once), else the JS heap. A timer racing the first against the second
    // fell back on a busy machine and compared one method with the other.
    const perf = performance as Performance & {
      measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
      memory?: { usedJSHeapSize: number };
    };
    const measure = async (): Promise<number> =>
      perf.measureUserAgentSpecificMemory
        ? (await perf.measureUserAgentSpecificMemory()).bytes
        : (perf.memory?.usedJSHeapSize ?? Number.NaN);
    const b = await backendNamed();
    const bytes = await (await fetch(modelUrl)).arrayBuffer();
    const once = async (): Promise<void> => {
      const session = await b.createSession(new Uint8Array(bytes), { device });
      await session.run({ [session.inputs[0]?.name ?? 'x']: imageLikeTensor(dims) });
      await session.dispose();
    };
    for (let i = 0; i < 10; i++) await once();
    const before = await measure();
    for (let i = 0; i < count; i++) await once();
    const after = await measure();
    return { before, after };
  },
};

declare global {
  interface Window {
    rig: typeof rig;
  }
}
window.rig = rig;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
