import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, isPolyinferError } from '@polyinfer/core';
import { createOcrPipeline, sampleGroundTruth, SAMPLES_DIR } from '@polyinfer/models';
import { registerRemoteBackend } from '@polyinfer/backend-remote';
import type { RunningServer } from '@polyinfer/server';
import { V2_PROTO_PATH } from '@polyinfer/v2-protocol/grpc';
import { SERVED_DTYPES, startTestServer } from './served-fixtures.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-grpcio and python3-grpc-tools (installed by .ci/run)
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

// One server on loopback for the whole file: conformance models, the three PP-OCR models and the OCR pipeline.
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(() => server?.close());

const api = parseYaml(
  readFileSync(fileURLToPath(new URL('./specs/rest_predict_v2.yaml', import.meta.url)), 'utf8'),
) as { components: { schemas: Record<string, object> } };
const ajv = new Ajv({ strict: false, allErrors: true });
for (const [name, schema] of Object.entries(api.components.schemas))
  ajv.addSchema({ ...schema, $id: `#/components/schemas/${name}` }, `#/components/schemas/${name}`);
/** Validates a body against one of the OpenAPI document's schemas, returning its errors ([] when it fits). */
function schemaErrors(schema: string, body: unknown): string[] {
  const validate = ajv.getSchema(`#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const get = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${server.http.url}${path}`, init);
const post = (path: string, body: unknown): Promise<Response> =>
  fetch(`${server.http.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const addRequest = {
  inputs: [
    { name: 'a', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] },
    {
      name: 'b',
      shape: [2, 3],
      datatype: 'FP32',
      data: [
        [10, 20, 30],
        [40, 50, 60],
      ],
    },
  ],
};

describe('REST routes answer as the Open Inference Protocol says', () => {
  it('health probes: 200 with an empty body', async () => {
    for (const path of [
      '/v2/health/live',
      '/v2/health/ready',
      '/v2/models/add/ready',
      '/v2/models/add/versions/1/ready',
    ]) {
      const response = await get(path);
      expect([path, response.status, await response.text()]).toEqual([path, 200, '']);
    }
    expect((await get('/v2/models/nope/ready')).status).toBe(404);
  });

  it('server and model metadata fit the OpenAPI schemas and say what is served', async () => {
    const serverMeta = await (await get('/v2')).json();
    expect(schemaErrors('metadata_server_response', serverMeta)).toEqual([]);
    expect(serverMeta).toMatchObject({ name: 'polyinfer', extensions: ['binary_tensor_data', 'statistics'] });
    const det = await (await get('/v2/models/ppocr-v4-det')).json();
    expect(schemaErrors('metadata_model_response', det)).toEqual([]);
    expect(det).toMatchObject({
      name: 'ppocr-v4-det',
      versions: ['1'],
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3, -1, -1] }],
      outputs: [{ datatype: 'FP32', shape: [-1, 1, -1, -1] }],
    });
    const ppocr = await (await get('/v2/models/ppocr/versions/1')).json();
    expect(schemaErrors('metadata_model_response', ppocr)).toEqual([]);
    expect(ppocr.inputs).toEqual([{ name: 'image', datatype: 'BYTES', shape: [1] }]);
  });

  it('a JSON inference request gets a JSON response that fits the schema, with the request id', async () => {
    const response = await post('/v2/models/add/infer', { id: 'req-7', ...addRequest });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(schemaErrors('inference_response', body)).toEqual([]);
    expect(body).toEqual({
      model_name: 'add',
      model_version: '1',
      id: 'req-7',
      outputs: [{ name: 'sum', datatype: 'FP32', shape: [2, 3], data: [11, 22, 33, 44, 55, 66] }],
    });
  });

  it('names the problem of a bad request (400/404, the v2 error body) and keeps serving after each', async () => {
    const cases: [string, string | object, number, RegExp][] = [
      ['/v2/models/add/infer', '{"inputs": [', 400, /not valid JSON/],
      [
        '/v2/models/add/infer',
        { inputs: [{ ...addRequest.inputs[0], datatype: 'FP99' }, addRequest.inputs[1]] },
        400,
        /unknown datatype "FP99"/,
      ],
      [
        '/v2/models/add/infer',
        { inputs: [{ name: 'a', shape: [3, 2], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }, addRequest.inputs[1]] },
        400,
        /input "a" has shape \[2, 3\] \(-1: any\), got \[3, 2\]/,
      ],
      [
        '/v2/models/add/infer',
        { inputs: [{ name: 'a', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3] }, addRequest.inputs[1]] },
        400,
        /should hold 6 elements, got 3/,
      ],
      [
        '/v2/models/add/infer',
        { inputs: [...addRequest.inputs, { name: 'c', shape: [1], datatype: 'FP32', data: [1] }] },
        400,
        /model add has no input "c"; its inputs are a, b/,
      ],
      [
        '/v2/models/add/infer',
        { inputs: [{ ...addRequest.inputs[0], datatype: 'INT32', data: [1, 2, 3, 4, 5, 6] }, addRequest.inputs[1]] },
        400,
        /input "a" is FP32, got INT32/,
      ],
      ['/v2/models/nope/infer', addRequest, 404, /no model "nope" is served here; served: add, dynamic, int64/],
      ['/v2/models/add/versions/9/infer', addRequest, 404, /no version "9"/],
    ];
    for (const [path, body, status, message] of cases) {
      const response = await post(path, body);
      const error = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(schemaErrors('inference_error_response', error)).toEqual([]);
      expect(error.error).toMatch(message);
      // The next good request is still answered.
      expect((await post('/v2/models/add/infer', addRequest)).status).toBe(200);
    }
  });

  it('statistics (Triton extension) count successes and failures with their durations', async () => {
    const before = (await (await get('/v2/models/add/stats')).json()).model_stats[0];
    await post('/v2/models/add/infer', addRequest);
    await post('/v2/models/add/infer', { inputs: [addRequest.inputs[0]] });
    const after = (await (await get('/v2/models/add/stats')).json()).model_stats[0];
    expect(after.name).toBe('add');
    expect(after.inference_stats.success.count - before.inference_stats.success.count).toBe(1);
    expect(after.inference_stats.fail.count - before.inference_stats.fail.count).toBe(1);
    expect(after.inference_stats.compute_infer.ns).toBeGreaterThan(before.inference_stats.compute_infer.ns);
    expect(after.last_inference).toBeGreaterThan(0);
    const all = (await (await get('/v2/models/stats')).json()).model_stats.map((s: { name: string }) => s.name);
    expect(all).toEqual([
      'add',
      'dynamic',
      'int64',
      ...SERVED_DTYPES.map((d) => `identity-${d}`),
      'ppocr-v4-det',
      'ppocr-v4-rec',
      'ppocr-mobile-v2-cls',
      'ppocr',
    ]);
  });
});

describe('every datatype a model declares crosses the wire both ways', () => {
  it('FP64, INT16, UINT64 and BYTES as JSON: metadata names them, values come back exact (2^64 - 1 as a string)', async () => {
    const cases = [
      { model: 'identity-float64', datatype: 'FP64', data: [Math.PI, -1e300, 5e-324, 2 ** 53 + 2, -0.1] },
      { model: 'identity-int16', datatype: 'INT16', data: [-32768, 32767, 0, -1, 300] },
      { model: 'identity-uint64', datatype: 'UINT64', data: [0, '18446744073709551615', 1, '9223372036854775808', 7] },
      { model: 'identity-string', datatype: 'BYTES', data: ['', 'héllo', '日本語', 'a b', 'x'] },
    ];
    for (const { model, datatype, data } of cases) {
      const meta = await (await get(`/v2/models/${model}`)).json();
      expect([meta.inputs[0].datatype, meta.outputs[0].datatype], model).toEqual([datatype, datatype]);
      const response = await post(`/v2/models/${model}/infer`, { inputs: [{ name: 'x', shape: [5], datatype, data }] });
      const body = await response.json();
      expect([response.status, body.outputs[0].datatype, body.outputs[0].data], model).toEqual([200, datatype, data]);
    }
  });

  it('a BYTES element that is not UTF-8 text, for a string input, is a 400 naming it; the server goes on', async () => {
    const elements = Buffer.concat([
      Buffer.from([2, 0, 0, 0, 0xff, 0xfe]),
      ...Array.from({ length: 4 }, () => Buffer.from([0, 0, 0, 0])),
    ]);
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'x', shape: [5], datatype: 'BYTES', parameters: { binary_data_size: elements.byteLength } }],
      }),
    );
    const response = await fetch(`${server.http.url}/v2/models/identity-string/infer`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.byteLength),
      },
      body: Buffer.concat([header, elements]),
    });
    expect([response.status, (await response.json()).error]).toEqual([
      400,
      'BYTES element 0 is not UTF-8 text; a string tensor holds text',
    ]);
    expect(
      (
        await post('/v2/models/identity-int16/infer', {
          inputs: [{ name: 'x', shape: [5], datatype: 'INT16', data: [1, 2, 3, 4, 5] }],
        })
      ).status,
    ).toBe(200);
  });
});

describe('the OCR pipeline as one v2 model, "ppocr"', () => {
  it('reads an encoded PNG sent through the binary extension: text, confidence and boxes', async () => {
    const png = readFileSync(join(SAMPLES_DIR, 'receipt.png'));
    const header = new TextEncoder().encode(
      JSON.stringify({
        inputs: [
          { name: 'image', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: png.byteLength + 4 } },
        ],
        outputs: [{ name: 'text' }, { name: 'confidence' }, { name: 'box', parameters: { binary_data: true } }],
      }),
    );
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, png.byteLength, true);
    const response = await fetch(`${server.http.url}/v2/models/ppocr/infer`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.byteLength),
      },
      body: Buffer.concat([header, length, png]),
    });
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const jsonLength = Number(response.headers.get('inference-header-content-length'));
    const body = JSON.parse(new TextDecoder().decode(bytes.subarray(0, jsonLength)));
    const [text, confidence, box] = body.outputs;
    expect(text).toMatchObject({ name: 'text', datatype: 'BYTES', data: sampleGroundTruth()['receipt.png'] });
    expect(confidence.data.every((c: number) => c > 0.5 && c <= 1)).toBe(true);
    expect(box).toMatchObject({
      name: 'box',
      datatype: 'FP32',
      shape: [text.data.length, 4, 2],
      parameters: { binary_data_size: text.data.length * 32 },
    });
    const corners = new Float32Array(bytes.slice(jsonLength).buffer);
    expect(corners.length).toBe(text.data.length * 8);
    expect(Math.max(...corners)).toBeLessThanOrEqual(560);
  });

  it("an image in gRPC bytes_contents (as Python's tritonclient and KServe clients send BYTES) reads as over REST", async () => {
    const { stdout } = await run(
      PYTHON,
      [
        here('./python/v2_grpc_ocr_bytes.py'),
        V2_PROTO_PATH,
        server.grpc?.url as string,
        join(SAMPLES_DIR, 'receipt.png'),
      ],
      { timeout: 120_000 },
    );
    expect(JSON.parse(stdout).lines).toEqual(sampleGroundTruth()['receipt.png']);
  });

  it('refuses what is not one encoded image, naming the expected input', async () => {
    const response = await post('/v2/models/ppocr/infer', {
      inputs: [{ name: 'image', shape: [2], datatype: 'BYTES', data: ['a', 'b'] }],
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/input "image" has shape \[1\] \(-1: any\), got \[2\]/);
    const garbage = await post('/v2/models/ppocr/infer', {
      inputs: [{ name: 'image', shape: [1], datatype: 'BYTES', data: ['not an image'] }],
    });
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).error).toMatch(
      /input "image" of model ppocr is no image format it knows; it takes PNG, JPEG or WebP/,
    );
    // A real GIF is named and refused: only what the metadata promises is decoded.
    const gif = await post('/v2/models/ppocr/infer', {
      inputs: [{ name: 'image', shape: [1], datatype: 'BYTES', data: ['GIF89a\u0001\u0000\u0001\u0000'] }],
    });
    expect([gif.status, (await gif.json()).error]).toEqual([
      400,
      'input "image" of model ppocr is GIF; it takes PNG, JPEG or WebP',
    ]);
    // A PNG whose header says 9000×9000 (81 megapixels) is refused from the header, before any decoding.
    const huge = Buffer.from(readFileSync(join(SAMPLES_DIR, 'receipt.png')));
    huge.writeUInt32BE(9000, 16);
    huge.writeUInt32BE(9000, 20);
    const header = new TextEncoder().encode(
      JSON.stringify({
        inputs: [
          { name: 'image', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: huge.byteLength + 4 } },
        ],
      }),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32LE(huge.byteLength);
    const tooMany = await fetch(`${server.http.url}/v2/models/ppocr/infer`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.byteLength),
      },
      body: Buffer.concat([header, length, huge]),
    });
    expect([tooMany.status, (await tooMany.json()).error]).toEqual([
      400,
      expect.stringMatching(/is 9000×9000: more than the limit of 40000000 pixels/),
    ]);
  });
});

describe('the OCR pipeline with every stage on the server', () => {
  for (const device of ['http', 'grpc'] as const) {
    it(`reads every sample as in-process does, over ${device}`, async () => {
      const registry = createRegistry();
      registerRemoteBackend(registry, { url: server.http.url, grpcUrl: server.grpc?.url as string });
      const ocr = await createOcrPipeline({ registry, backend: 'remote', devices: [device] });
      try {
        expect(ocr.stages.det).toMatchObject({ model: 'ppocr-v4-det', backend: 'remote', device });
        for (const [image, lines] of Object.entries(sampleGroundTruth())) {
          expect(
            (await ocr.run(join(SAMPLES_DIR, image))).lines.map((l) => l.text),
            image,
          ).toEqual(lines);
        }
      } finally {
        await ocr.dispose();
      }
    });
  }

  it('an unreachable server is a device that is not there: the registry falls back to a local one, saying why', async () => {
    const { registerOrtNodeBackend } = await import('@polyinfer/backend-ort-node/base');
    const { createRemoteBackend } = await import('@polyinfer/backend-remote');
    const port = await closedPort();
    const registry = createRegistry();
    // Prefer the cluster, fall back to this machine: the remote backend registered above ort-node.
    registry.register('remote', () => createRemoteBackend({ url: `http://127.0.0.1:${port}`, retries: 0 }), {
      priority: 200,
    });
    registerOrtNodeBackend(registry);
    const ocr = await createOcrPipeline({ registry, rec: { devices: ['http', 'cpu'] }, cls: false });
    expect(ocr.stages.rec).toMatchObject({ backend: 'ort-node', device: 'cpu' });
    expect(ocr.stages.rec.skipped.map((s) => [s.backend, s.device, s.code])).toEqual([
      ['remote', 'http', 'DEVICE_UNAVAILABLE'],
      ['remote', 'cpu', 'UNKNOWN_DEVICE'],
      ['ort-node', 'http', 'UNKNOWN_DEVICE'],
    ]);
    expect(ocr.stages.rec.skipped[0]?.reason).toBe(
      `http://127.0.0.1:${port} (model ppocr-v4-rec) is unavailable after 1 attempt(s): ECONNREFUSED`,
    );
    await ocr.dispose();
  });

  it('a model the server does not have is MODEL_LOAD_FAILED naming server and model', async () => {
    const registry = createRegistry();
    registerRemoteBackend(registry, { url: server.http.url });
    const error = await registry.createSession('not-served', { backend: 'remote' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'MODEL_LOAD_FAILED')).toBe(true);
    expect((error as Error).message).toContain(`not-served on ${server.http.url}`);
    expect((error as Error).message).toContain('404');
  });
});
