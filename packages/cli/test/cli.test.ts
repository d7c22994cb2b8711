import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '@polyinfer/cli';
import { cli } from './run-cli.js';
import { sampleGroundTruth, SAMPLES_DIR } from '@polyinfer/models';

const truth = sampleGroundTruth();

describe('polyinfer ocr', () => {
  it('prints exactly one JSON object per image, keeps going past a bad image, and exits non-zero', async () => {
    const { code, out, err } = await cli(
      'ocr',
      '--json',
      join(SAMPLES_DIR, 'dark.png'),
      '/no/such.png',
      join(SAMPLES_DIR, 'receipt.png'),
    );
    const objects = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toHaveLength(3);
    expect(Object.keys(objects[0]!)).toEqual(
      expect.arrayContaining(['image', 'lines', 'backend', 'device', 'timings']),
    );
    expect((objects[0]!.lines as { text: string }[]).map((l) => l.text)).toEqual(truth['dark.png']);
    expect(Object.keys((objects[0]!.lines as object[])[0]!).sort()).toEqual(['box', 'confidence', 'text']);
    expect(objects[0]).toMatchObject({ backend: 'ort-node', device: 'cpu' });
    expect(objects[1]).toEqual({
      image: '/no/such.png',
      error: { code: 'IMAGE_NOT_FOUND', message: 'Image file not found: /no/such.png' },
    });
    expect((objects[2]!.lines as { text: string }[]).map((l) => l.text)).toEqual(truth['receipt.png']);
    expect(err).toContain('/no/such.png');
    expect(code).toBe(1);
  });

  it('reads a directory and a quoted glob, in input order, with images/s at the end (and a progress bar on a terminal only)', async () => {
    const images = Object.keys(truth).sort();
    const { code, out, err } = await cli('ocr', '--json', '--in-flight', '3', SAMPLES_DIR, join(SAMPLES_DIR, 'r*.png'));
    expect(code).toBe(0);
    const objects = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { image: string; lines: { text: string }[] });
    expect(objects.map((o) => o.image)).toEqual([
      ...images.map((f) => join(SAMPLES_DIR, f)),
      join(SAMPLES_DIR, 'receipt.png'),
    ]);
    for (const o of objects) expect(o.lines.map((l) => l.text)).toEqual(truth[o.image.split('/').pop() as string]);
    // (A fresh model cache adds a line per model variant prepared first.)
    expect(err.replace(/^polyinfer: preparing .*\n/gm, '')).toMatch(
      /^polyinfer: 7 images in [\d.]+ s, [\d.]+ images\/s \(3 in flight\)\n$/,
    );
    let drawn = '';
    await runCli(['ocr', join(SAMPLES_DIR, 'dark.png'), join(SAMPLES_DIR, 'tilted.png')], {
      out: () => undefined,
      err: (t) => (drawn += t),
      isTerminal: true,
    });
    expect(drawn).toMatch(/\rocr \[#+\.*\] 1\/2 [\d.]+ images\/s/);
    expect(drawn).toMatch(/\rocr \[#{24}\] 2\/2/);
  });

  it(
    'reads with --workers in worker threads, in input order, and says so with the images/s',
    { timeout: 300_000 },
    async () => {
      const images = Object.keys(truth).sort();
      const { code, out, err } = await cli('ocr', '--json', '--workers', '2', SAMPLES_DIR);
      expect(code).toBe(0);
      const objects = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { image: string; lines: { text: string }[]; backend: string });
      expect(objects.map((o) => o.image)).toEqual(images.map((f) => join(SAMPLES_DIR, f)));
      for (const o of objects) expect(o.lines.map((l) => l.text)).toEqual(truth[o.image.split('/').pop() as string]);
      expect(objects[0]).toMatchObject({ backend: 'ort-node', device: 'cpu' });
      expect(err).toMatch(/polyinfer: 6 images in [\d.]+ s, [\d.]+ images\/s \(2 workers\)\n$/);
      const refused = await cli('ocr', '--workers', '2', '--backend', 'tfjs');
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(
        /--workers runs pipelines in worker threads on ort-node; it does not combine with --remote or another backend/,
      );
    },
  );

  it('refuses an --in-flight that is not a whole number of images', async () => {
    const { code, err } = await cli('ocr', '--in-flight', '0');
    expect(code).toBe(2);
    expect(err).toMatch(/--in-flight takes a whole number of images, 1 or more; got "0"/);
  });

  it('reads the bundled sample when given no image, in plain text', async () => {
    const { code, out } = await cli('ocr');
    expect(code).toBe(0);
    for (const line of truth['receipt.png']!) expect(out).toContain(line);
    expect(out).toMatch(/ort-node:cpu — total \d/);
  });

  it('falls back from cuda to cpu and says so on stderr, once', async () => {
    const { code, err, out } = await cli('ocr', '--json', '--device', 'cuda,cpu', join(SAMPLES_DIR, 'dark.png'));
    expect(code).toBe(0);
    expect(err.match(/ort-node:cuda unavailable/g)).toHaveLength(1);
    expect(JSON.parse(out)).toMatchObject({ device: 'cpu' });
  });

  it('with --strict an unavailable device is an error with its reason', async () => {
    const { code, err } = await cli('ocr', '--strict', '--device', 'cuda,cpu');
    expect(code).toBe(2);
    expect(err).toMatch(/ort-node:cuda is unavailable: .*provider libraries not installed/);
  });

  it('an unknown backend or device names the known ones', async () => {
    expect((await cli('ocr', '--backend', 'onnx')).err).toContain('registered: ort-node');
    expect((await cli('ocr', '--device', 'gpu')).err).toContain(
      'their devices are: cpu, cuda, tensorrt, coreml, dml, webgpu, wasm, webnn, tensorflow, tensorflow-gpu, webgl, http, grpc',
    );
  });
});

describe('polyinfer --version', () => {
  it("prints the CLI package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const { code, out } = await cli('--version');
    expect([code, out.trim()]).toEqual([0, version]);
  });
});

describe('polyinfer backends and models', () => {
  it('lists each device with its availability and the reason when unavailable', async () => {
    const { code, out } = await cli('backends');
    expect(code).toBe(0);
    expect(out).toMatch(/ort-node\s+cpu\s+available/);
    expect(out).toMatch(/ort-node\s+cuda\s+unavailable: onnxruntime cuda provider libraries not installed/);
    expect(out).toMatch(/ort-node\s+tensorrt\s+unavailable: /);
    expect(out).toMatch(/webgpu \(experimental\)/);
    expect(out).toMatch(/ort-web\s+wasm\s+available/);
    expect(out).toMatch(/ort-web\s+webgpu\s+unavailable: no WebGPU implementation in this Node process/);
    expect(out).toMatch(/tfjs\s+wasm\s+available/);
    expect(out).toMatch(/tfjs\s+tensorflow\s+unavailable: @tensorflow\/tfjs-node could not be loaded/);
    expect(out).toMatch(/ort-node\s+concurrent\s+intraOpThreads, interOpThreads, graphOptimization/);
    expect(out).toMatch(/ort-web\s+queued-per-session\s+graphOptimization\s+none/);
    expect(out).toMatch(/tfjs\s+queued-per-process\s+none\s+simplify/);
    const json = JSON.parse((await cli('backends', '--json')).out) as {
      backend: string;
      capabilities: { runPolicy: string };
      devices: { device: string; available: boolean }[];
    }[];
    expect(json[0]!.devices.find((d) => d.device === 'cpu')!.available).toBe(true);
    expect(json.map((b) => [b.backend, b.capabilities.runPolicy])).toEqual([
      ['ort-node', 'concurrent'],
      ['ort-web', 'queued-per-session'],
      ['tfjs', 'queued-per-process'],
      ['remote', 'concurrent'],
    ]);
    expect(out).toMatch(/remote\s+http\s+unavailable: no REST server configured/);
    // Which dtypes each backend runs, as its capabilities declare them.
    expect(out).toMatch(
      /ort-node\s+float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool, string\n/,
    );
    expect(out).toMatch(/tfjs\s+float32, int32, int64, uint8, int8, int16, uint16, bool\n/);
  });

  it('says once when a backend ignores an option, and --strict makes it an error', async () => {
    const loose = await cli(
      'ocr',
      '--json',
      '--backend',
      'tfjs',
      '--device',
      'wasm',
      '--threads',
      '2',
      join(SAMPLES_DIR, 'dark.png'),
    );
    expect(loose.code).toBe(0);
    expect(loose.err.match(/tfjs:wasm ignores intraOpThreads/g)).toHaveLength(1);
    const strict = await cli(
      'ocr',
      '--backend',
      'tfjs',
      '--device',
      'wasm',
      '--threads',
      '2',
      '--strict',
      join(SAMPLES_DIR, 'dark.png'),
    );
    expect(strict.code).toBe(2);
    expect(strict.err).toContain('tfjs cannot honour intraOpThreads');
  });

  it('runs OCR on ort-web wasm by config alone', async () => {
    const { code, out } = await cli(
      'ocr',
      '--json',
      '--backend',
      'ort-web',
      '--device',
      'wasm',
      join(SAMPLES_DIR, 'dark.png'),
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      backend: 'ort-web',
      device: 'wasm',
      lines: truth['dark.png']!.map((text) => ({ text })),
    });
  });

  it('runs OCR on tfjs wasm by config alone', async () => {
    const { code, out } = await cli(
      'ocr',
      '--json',
      '--backend',
      'tfjs',
      '--device',
      'wasm',
      join(SAMPLES_DIR, 'dark.png'),
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      backend: 'tfjs',
      device: 'wasm',
      lines: truth['dark.png']!.map((text) => ({ text })),
    });
  });

  it('lists the models with their files checked', async () => {
    const { code, out } = await cli('models', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(out) as { id: string; ok: boolean }[]).map((m) => [m.id, m.ok])).toEqual([
      ['ppocr-v4-det', true],
      ['ppocr-v4-rec', true],
      ['ppocr-mobile-v2-cls', true],
    ]);
  });

  it('the built bin runs as a program', async () => {
    const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      'ocr',
      '--json',
      '--no-cls',
      join(SAMPLES_DIR, 'fonts.png'),
    ]);
    expect((JSON.parse(stdout) as { lines: { text: string }[] }).lines.map((l) => l.text)).toEqual(truth['fonts.png']);
  });
});
