import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { buildOnnxModel } from '@polyinfer/core';
import { pairModel } from '@polyinfer/core/testing';
import { SAMPLES_DIR } from '@polyinfer/models';
import type { ProbeServer } from './serve-probe/probe-server.js';
import { startProbeServer } from './serve-probe/probe-server.js';

/**
 * An outside probe of `polyinfer serve` as a hostile or faulty client would try it: only protocol-level clients
 * (fetch, raw sockets, Python's grpcio), a fresh server process per probe so each peak RSS is its own. Runs against
 * any checkout's CLI, so the same probe gives the before and after figures.
 *
 *   node benchmarks/dist/serve-probe.js [--bin path/to/packages/cli/dist/bin.js] [--python /usr/bin/python3]
 */
const run = promisify(execFile);
const MiB = 2 ** 20;

interface Finding {
  probe: string;
  outcome: string;
  figure?: string;
}

const json = { 'content-type': 'application/json' };
const pairBody = (a: number[], aShape: number[], b: number[], bShape: number[]): string =>
  JSON.stringify({
    inputs: [
      { name: 'a', shape: aShape, datatype: 'FP32', data: a },
      { name: 'b', shape: bShape, datatype: 'FP32', data: b },
    ],
  });

async function status(response: Promise<Response>): Promise<string> {
  try {
    const r = await response;
    const text = await r.text();
    return `${r.status} ${text.slice(0, 90).replace(/\s+/g, ' ')}`;
  } catch (error) {
    return `no answer (${(error as Error).message}: ${String((error as { cause?: { code?: string } }).cause?.code ?? '')})`;
  }
}

function rawStatus(url: string, path: string, headers: Record<string, string>, body: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = httpRequest({ host: hostname, port, method: 'POST', path, headers, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** A JSON body of `bytes` bytes: input a declared [1, 2], its data that many zeros. */
function zerosBody(bytes: number): Buffer {
  const head =
    '{"inputs":[{"name":"b","shape":[1,2],"datatype":"FP32","data":[1,1]},{"name":"a","shape":[1,2],"datatype":"FP32","data":[';
  const tail = ']}]}';
  const count = Math.floor((bytes - head.length - tail.length) / 2);
  return Buffer.concat([Buffer.from(head), Buffer.from('0,'.repeat(count - 1) + '0'), Buffer.from(tail)]);
}

async function withServer<T>(bin: string, args: string[], probe: (server: ProbeServer) => Promise<T>): Promise<T> {
  const server = await startProbeServer(bin, args);
  try {
    return await probe(server);
  } finally {
    server.kill();
  }
}

export async function serveProbe(bin: string, python: string): Promise<Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'serve-probe-'));
  const model = join(dir, 'pair.onnx');
  writeFileSync(model, buildOnnxModel(pairModel));
  const pairArgs = ['--model', `pair=${model}`, '--max-batch', '8', '--batch-delay-ms', '200'];
  const findings: Finding[] = [];

  await withServer(bin, pairArgs, async (s) => {
    const infer = (body: string) => fetch(`${s.http}/v2/models/pair/infer`, { method: 'POST', headers: json, body });
    const [victim, attacker, empty] = await Promise.all([
      infer(pairBody([1, 1], [1, 2], [1, 1], [1, 2])).then((r) => r.json()),
      status(infer(pairBody([5000, 5000], [1, 2], [1, 1, 1, 1], [2, 2]))),
      status(infer(pairBody([7000, 7000], [1, 2], [], [0, 2]))),
    ]);
    const answer = JSON.stringify((victim as { outputs?: { data: number[] }[] }).outputs?.[0]?.data);
    findings.push({
      probe: 'batch-mate a:[1,2] b:[2,2] beside a victim a=b=[1,1] (expects [2,2])',
      outcome: `victim got ${answer}; attacker: ${attacker}`,
    });
    findings.push({ probe: 'batch-mate with b:[0,2]', outcome: empty });
  });

  for (const [label, bodies] of [
    ['one 16 MiB JSON body of zeros', [16]],
    ['four 32 MiB JSON bodies at once', [32, 32, 32, 32]],
  ] as const) {
    // Built before the clock starts: the liveness figure is the server's, not this process building bodies.
    const payloads = bodies.map((mb) => new Uint8Array(zerosBody(mb * MiB)));
    await withServer(bin, pairArgs, async (s) => {
      const before = s.peakRss();
      let slowestLive = 0;
      let sending = true;
      // curl times each probe itself (time_total): the figure is the server's answer, not this busy process's loop.
      const probeLive = (async () => {
        while (sending) {
          const { stdout } = await run('curl', [
            '-s',
            '-o',
            '/dev/null',
            '-w',
            '%{time_total}',
            '--max-time',
            '30',
            `${s.http}/v2/health/live`,
          ]).catch(() => ({ stdout: '30' }));
          slowestLive = Math.max(slowestLive, Number(stdout) * 1000);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const outcomes = await Promise.all(
        payloads.map((body) =>
          status(fetch(`${s.http}/v2/models/pair/infer`, { method: 'POST', headers: json, body })),
        ),
      );
      sending = false;
      await probeLive;
      findings.push({
        probe: label,
        outcome: [...new Set(outcomes.map((o) => o.slice(0, 60)))].join(' / '),
        figure: `peak RSS +${((s.peakRss() - before) / MiB).toFixed(0)} MiB; slowest liveness probe ${slowestLive.toFixed(0)} ms`,
      });
    });
  }

  await withServer(bin, ['--model', 'ppocr'], async (s) => {
    const elements = Buffer.alloc(4 * 4_194_304);
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          { name: 'image', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: elements.byteLength } },
        ],
      }),
    );
    const before = s.peakRss();
    const outcome = await status(
      fetch(`${s.http}/v2/models/ppocr/infer`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': String(header.byteLength),
        },
        body: new Uint8Array(Buffer.concat([header, elements])),
      }),
    );
    findings.push({
      probe: '4.2 M zero-length BYTES elements in 16 MiB',
      outcome,
      figure: `peak RSS +${((s.peakRss() - before) / MiB).toFixed(0)} MiB`,
    });

    const png = readFileSync(join(SAMPLES_DIR, 'receipt.png'));
    const proto = fileURLToPath(new URL('../../packages/v2-protocol/proto/grpc_predict_v2.proto', import.meta.url));
    const script = fileURLToPath(
      new URL('../../packages/server-interop/test/python/v2_grpc_ocr_bytes.py', import.meta.url),
    );
    const viaGrpc = await run(
      python,
      [script, proto, s.grpc.replace(/^grpcs?:\/\//, ''), join(SAMPLES_DIR, 'receipt.png')],
      { timeout: 120_000 },
    ).then(
      ({ stdout }) => `first line "${(JSON.parse(stdout) as { lines: string[] }).lines[0] ?? ''}"`,
      (error: { stderr?: string }) => `failed: ${(error.stderr ?? '').trim().split('\n').pop()}`,
    );
    findings.push({ probe: "a PNG in gRPC bytes_contents (Python's grpcio)", outcome: viaGrpc });

    // Twenty clients send an OCR request and leave after 100 ms; how many of the twenty still ran?
    const statsBefore = (await (await fetch(`${s.http}/v2/models/ppocr/stats`)).json()) as {
      model_stats: { execution_count: number }[];
    };
    const lengthPrefix = Buffer.alloc(4);
    lengthPrefix.writeUInt32LE(png.byteLength);
    const ocrHeader = Buffer.from(
      JSON.stringify({
        inputs: [
          { name: 'image', shape: [1], datatype: 'BYTES', parameters: { binary_data_size: png.byteLength + 4 } },
        ],
      }),
    );
    await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${s.http}/v2/models/ppocr/infer`, {
          method: 'POST',
          headers: {
            'content-type': 'application/octet-stream',
            'inference-header-content-length': String(ocrHeader.byteLength),
          },
          body: new Uint8Array(Buffer.concat([ocrHeader, lengthPrefix, png])),
          signal: AbortSignal.timeout(100),
        }).catch(() => undefined),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    let executions = -1;
    for (let i = 0; i < 200; i++) {
      const now =
        (
          (await (await fetch(`${s.http}/v2/models/ppocr/stats`)).json()) as {
            model_stats: { execution_count: number }[];
          }
        ).model_stats[0]?.execution_count ?? 0;
      if (now === executions) break;
      executions = now;
      await new Promise((r) => setTimeout(r, 1000));
    }
    findings.push({
      probe: '20 OCR requests whose clients left after 100 ms',
      outcome: `${executions - (statsBefore.model_stats[0]?.execution_count ?? 0)} of 20 ran`,
    });
  });

  await withServer(bin, pairArgs, async (s) => {
    const body = pairBody([1, 1], [1, 2], [1, 1], [1, 2]);
    findings.push({
      probe: 'POST with Host: attacker.example',
      outcome: String(
        await rawStatus(
          s.http,
          '/v2/models/pair/infer',
          { host: 'attacker.example', 'content-type': 'application/json' },
          body,
        ),
      ),
    });
    findings.push({
      probe: 'POST with Origin: http://attacker.example, text/plain',
      outcome: String(
        await rawStatus(
          s.http,
          '/v2/models/pair/infer',
          { origin: 'http://attacker.example', 'content-type': 'text/plain' },
          body,
        ),
      ),
    });
    findings.push({
      probe: 'a model name with %E0%A4',
      outcome: await status(fetch(`${s.http}/v2/models/%E0%A4/infer`, { method: 'POST', headers: json, body })),
    });
    findings.push({
      probe: 'GET /metrics',
      outcome: s.metrics ? await status(fetch(s.metrics)).then((o) => o.slice(0, 40)) : 'no metrics port',
    });
    const { hostname, port } = new URL(s.http);
    const stalled = connect(Number(port), hostname);
    stalled.on('error', () => undefined);
    stalled.write(
      'POST /v2/models/pair/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"inputs":',
    );
    await new Promise((r) => setTimeout(r, 300));
    const ended = await s.terminate(45_000);
    findings.push({
      probe: 'SIGTERM while a client holds a half-sent upload',
      outcome: ended
        ? `exited ${ended.code} after ${(ended.ms / 1000).toFixed(1)} s`
        : 'still running after 45 s (killed)',
    });
    stalled.destroy();
  });
  return findings;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      bin: { type: 'string', default: fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url)) },
      python: { type: 'string', default: '/usr/bin/python3' },
    },
  });
  const findings = await serveProbe(values.bin as string, values.python as string);
  process.stdout.write(
    [
      '| probe | outcome | figure |',
      '|---|---|---|',
      ...findings.map((f) => `| ${f.probe} | ${f.outcome.replace(/\|/g, '/')} | ${f.figure ?? ''} |`),
    ].join('\n') + '\n',
  );
}
