import { readFileSync } from 'node:fs';
import '@polyinfer/backend-ort-node';
import { createOcrPipeline, PPOCR_V4_DET, PPOCR_V4_REC, resolveModelFile } from '@polyinfer/models';

// One OCR library in a process of its own, driven by ocr-vs-libraries.ts over IPC: its peak RSS is its own, and the
// parent interleaves the libraries image by image. `node ocr-contender.js NAME`.

export const CONTENDERS = [
  'polyinfer',
  'polyinfer-fp32',
  'polyinfer-original',
  'polyinfer-no-cls',
  'polyinfer-sparse',
  'ppu-paddle-ocr',
  'paddleocr',
  'gutenye',
] as const;
export type ContenderName = (typeof CONTENDERS)[number];

type Read = (path: string) => Promise<string[]>;

const arrayBufferOf = (path: string): ArrayBuffer => {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

/** The same PP-OCRv4 det and rec files (and dictionary) for every library that takes model files. */
async function ppocrV4Files(): Promise<{ det: string; rec: string; dictionary: string }> {
  const dictionary = PPOCR_V4_REC.assets?.dictionary;
  if (!dictionary) throw new Error('the PP-OCRv4 descriptor names no dictionary');
  return {
    det: await resolveModelFile(PPOCR_V4_DET.model),
    rec: await resolveModelFile(PPOCR_V4_REC.model),
    dictionary: await resolveModelFile(dictionary),
  };
}

async function open(name: ContenderName): Promise<{ read: Read; close: () => Promise<void> }> {
  if (name.startsWith('polyinfer')) {
    // polyinfer: the defaults (int8 det and rec on this CPU); -fp32: the simplified float files; -original: as shipped;
    // -sparse: each detected box a line of its own, as polyinfer read pages before it assembled lines.
    const modelVariant = name === 'polyinfer-fp32' ? 'simplified' : name === 'polyinfer-original' ? 'original' : 'auto';
    const ocr = await createOcrPipeline({
      backend: 'ort-node',
      devices: ['cpu'],
      modelVariant,
      ...(name === 'polyinfer-no-cls' ? { cls: false } : {}),
      ...(name === 'polyinfer-sparse' ? { layout: 'sparse' as const } : {}),
    });
    return { read: async (path) => (await ocr.run(path)).lines.map((l) => l.text), close: () => ocr.dispose() };
  }
  if (name === 'ppu-paddle-ocr') {
    const { PaddleOcrService } = await import('ppu-paddle-ocr');
    const files = await ppocrV4Files();
    // ppu indexes its dictionary by class: index 0 the CTC blank, the last the space — PP-OCR's key file has neither.
    const keys = readFileSync(files.dictionary, 'utf8').trimEnd().split(/\r?\n/);
    const dictionary = new TextEncoder().encode(['', ...keys, ' '].join('\n'));
    const service = new PaddleOcrService({
      model: { detection: files.det, recognition: files.rec, charactersDictionary: dictionary.buffer as ArrayBuffer },
    });
    await service.initialize();
    return {
      read: async (path) =>
        (await service.recognize(arrayBufferOf(path))).lines.map((line) => line.map((item) => item.text).join(' ')),
      close: () => service.destroy(),
    };
  }
  if (name === 'paddleocr') {
    const [{ PaddleOcrService }, ort, sharp] = await Promise.all([
      import('paddleocr'),
      import('onnxruntime-node'),
      import('sharp'),
    ]);
    const files = await ppocrV4Files();
    const service = await PaddleOcrService.createInstance({
      // paddleocr types the runtime against its own onnxruntime-common copy: the same API, another declaration.
      ort: ort as never,
      detection: { modelBuffer: arrayBufferOf(files.det) },
      // PP-OCR's recogniser has a class for the space after the dictionary's characters (use_space_char).
      recognition: {
        modelBuffer: arrayBufferOf(files.rec),
        charactersDictionary: [...readFileSync(files.dictionary, 'utf8').trimEnd().split(/\r?\n/), ' '],
      },
    });
    return {
      read: async (path) => {
        // paddleocr takes decoded pixels: decoding with sharp is part of its time, as it is of polyinfer's.
        const { data, info } = await sharp.default(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const results = await service.recognize({
          width: info.width,
          height: info.height,
          data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        });
        return service
          .processRecognition(results)
          .text.split('\n')
          .filter((l) => l.trim() !== '');
      },
      close: async () => {
        await (service as unknown as { destroy?: () => Promise<void> }).destroy?.();
      },
    };
  }
  const { default: GutenOcr } = await import('@gutenye/ocr-node');
  const ocr = await GutenOcr.create();
  return { read: async (path) => (await ocr.detect(path)).map((l: { text: string }) => l.text), close: async () => {} };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2] as ContenderName;
  const t0 = performance.now();
  const library = await open(name);
  const send = (message: object): void => void process.send?.(message);
  send({ type: 'ready', initMs: performance.now() - t0 });
  process.on('message', (message: { type: 'read'; path: string } | { type: 'exit' }) => {
    void (async () => {
      if (message.type === 'exit') {
        await library.close();
        // ru_maxrss in KiB: the peak resident set of this process, the library's own.
        send({ type: 'done', peakRssBytes: process.resourceUsage().maxRSS * 1024 });
        process.disconnect();
        return;
      }
      const start = performance.now();
      try {
        const lines = await library.read(message.path);
        send({ type: 'read', ms: performance.now() - start, lines });
      } catch (error) {
        send({ type: 'read', ms: performance.now() - start, lines: [], error: (error as Error).message });
      }
    })();
  });
}
