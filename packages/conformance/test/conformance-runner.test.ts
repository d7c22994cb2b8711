import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import type { ModelSpec } from '@polyinfer/core';
import { buildOnnxModel } from '@polyinfer/core';
import { dtypeIdentityModel } from '@polyinfer/core/testing';
import type { CaseJob } from '@polyinfer/conformance';
import { conformanceMarkdown, coveragePage, findTestCases, runConformance, WorkerLane } from '@polyinfer/conformance';

const { onnx } = onnxProto;

function tensorPb(dataType: number, dims: number[], raw: ArrayBufferView): Uint8Array {
  return onnx.TensorProto.encode(
    onnx.TensorProto.create({ dims, dataType, rawData: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) }),
  ).finish();
}

const relu: ModelSpec = {
  inputs: [{ name: 'x', dtype: 'float32', dims: [3] }],
  outputs: [{ name: 'y', dtype: 'float32', dims: [3] }],
  nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
};

/** A data set in ONNX's layout: suite/test_NAME/model.onnx and test_data_set_0/{input,output}_0.pb. */
function writeCase(root: string, name: string, model: Uint8Array, input: Uint8Array, output: Uint8Array): void {
  const dir = join(root, 'mine', name, 'test_data_set_0');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'mine', name, 'model.onnx'), model);
  writeFileSync(join(dir, 'input_0.pb'), input);
  writeFileSync(join(dir, 'output_0.pb'), output);
}

function fixtureSuite(): string {
  const root = mkdtempSync(join(tmpdir(), 'onnx-cases-'));
  const x = tensorPb(1, [3], Float32Array.from([-1, 0, 2]));
  writeCase(root, 'test_relu', buildOnnxModel(relu), x, tensorPb(1, [3], Float32Array.from([0, 0, 2])));
  // The same model with a deliberately wrong expected output: the comparison must catch it.
  writeCase(root, 'test_relu_wrong', buildOnnxModel(relu), x, tensorPb(1, [3], Float32Array.from([0, 0, 2.5])));
  writeCase(
    root,
    'test_no_such_op',
    buildOnnxModel({ ...relu, nodes: [{ op: 'NoSuchOp', inputs: ['x'], outputs: ['y'], name: 'mystery' }] }),
    x,
    x,
  );
  // float8 test data: polyinfer's Tensor has no such type, so it never reaches the runtime.
  writeCase(root, 'test_float8', buildOnnxModel(relu), tensorPb(17, [3], Uint8Array.from([1, 2, 3])), x);
  writeCase(root, 'test_relu_again', buildOnnxModel(relu), x, tensorPb(1, [3], Float32Array.from([0, 0, 2])));
  return root;
}

/** The fixture suite's passing Relu case, as a lane takes it. */
function reluJob(): CaseJob {
  const [first] = findTestCases(fixtureSuite(), /test_relu$/);
  return {
    id: first!.id,
    modelPath: first!.modelPath,
    dataSets: first!.dataSets,
    inputNames: ['x'],
    outputNames: ['y'],
  };
}

describe('the conformance runner', () => {
  it('finds cases in either layout and sorts them', () => {
    const root = fixtureSuite();
    const ids = findTestCases(root).map((c) => c.id);
    expect(ids).toEqual([
      'mine/test_float8',
      'mine/test_no_such_op',
      'mine/test_relu',
      'mine/test_relu_again',
      'mine/test_relu_wrong',
    ]);
    expect(findTestCases(join(root, 'mine'), /relu_/).map((c) => c.id)).toEqual([
      'mine/test_relu_again',
      'mine/test_relu_wrong',
    ]);
  });

  it('tells pass, wrong values, refused (with the code) and unheld types apart, raw and through polyinfer', async () => {
    const root = fixtureSuite();
    const report = await runConformance({
      cases: findTestCases(root),
      targets: ['onnxruntime-node', 'ort-node:cpu'],
      dataDirs: [root],
      jobs: 1,
    });
    const statuses = (target: string): Record<string, string> =>
      Object.fromEntries(
        Object.entries(report.outcomes[target] ?? {}).map(([id, o]) => [
          id,
          `${o.status}${o.code ? ` ${o.code}` : ''}`,
        ]),
      );
    expect(statuses('ort-node:cpu')).toEqual({
      'mine/test_float8': 'unheld',
      'mine/test_no_such_op': 'refused UNSUPPORTED_OP',
      'mine/test_relu': 'pass',
      'mine/test_relu_again': 'pass',
      'mine/test_relu_wrong': 'wrong',
    });
    expect(report.outcomes['ort-node:cpu']?.['mine/test_relu_wrong']?.detail).toBe(
      'data set 0, output "y": element 2 is 2, expected 2.5',
    );
    expect(report.outcomes['ort-node:cpu']?.['mine/test_no_such_op']?.detail).toMatch(
      /NoSuchOp \(node "mystery", opset \d+\)/,
    );
    expect(statuses('onnxruntime-node')['mine/test_relu']).toBe('pass');
    const markdown = conformanceMarkdown(report);
    expect(markdown).toContain('| mine | ort-node:cpu | 5 | 2 (40 %) | 1 | 1 | 1 | 0 | 0 | 0 |');
    expect(markdown).toContain('- **ort-node:cpu**: nothing: every case onnxruntime-node passes, it passes');
    expect(coveragePage(report, 'ort-node:cpu')).toContain(
      '| Relu | 13 | 2 / 4 | test_float8 (unheld), test_relu_wrong (wrong) |',
    );
    // A tfjs target's page adds what the importer's table says of each op.
    expect(coveragePage(report, 'ort-node:cpu', new Map([['Relu', 'every opset']]))).toContain(
      '| Relu | 13 | 2 / 4 | test_float8 (unheld), test_relu_wrong (wrong) | every opset |',
    );
  }, 120_000);

  it('a case past its time limit is a timeout, and the lane goes on in a fresh process', async () => {
    const job = reluJob();
    const hasty = new WorkerLane('ort-node:cpu', 1);
    try {
      expect((await hasty.run(job)).status).toBe('timeout');
    } finally {
      await hasty.close();
    }
    const patient = new WorkerLane('ort-node:cpu', 60_000);
    try {
      expect((await patient.run({ ...job, outputNames: ['nope'] })).status).toBe('wrong');
      expect((await patient.run(job)).status).toBe('pass');
    } finally {
      await patient.close();
    }
  }, 120_000);

  it('a lane replaces its process after a case that does not pass, unless asked to keep it (--same-process)', async () => {
    const job = reluJob();
    for (const sameProcess of [false, true]) {
      const lane = new WorkerLane('ort-node:cpu', 60_000, sameProcess);
      try {
        expect((await lane.run(job)).status).toBe('pass');
        const before = lane.pid;
        expect((await lane.run({ ...job, outputNames: ['nope'] })).status).toBe('wrong');
        expect(lane.pid === before, `sameProcess ${sameProcess}`).toBe(sameProcess);
        expect((await lane.run(job)).status).toBe('pass');
      } finally {
        await lane.close();
      }
    }
  }, 120_000);

  it('runs the same cases in Chromium (a page per lane, replaced after any non-pass), carrying int64 and string tensors both ways', async () => {
    const root = fixtureSuite();
    const int64 = BigInt64Array.from([-(2n ** 40n), -1n, 0n, 7n, 2n ** 62n]);
    writeCase(
      root,
      'test_identity_int64',
      buildOnnxModel(dtypeIdentityModel('int64')),
      tensorPb(7, [5], int64),
      tensorPb(7, [5], int64),
    );
    const strings = onnx.TensorProto.encode(
      onnx.TensorProto.create({
        dims: [5],
        dataType: 8,
        stringData: ['a', 'ß', '', '日本', 'z'].map((t) => new TextEncoder().encode(t)),
      }),
    ).finish();
    // onnxruntime-web's WebGPU Softmax before opset 13 normalises along axis alone instead of flattening at it: refused there.
    const softmax11: ModelSpec = {
      opset: 11,
      inputs: [{ name: 'x', dtype: 'float32', dims: [2, 5, 3] }],
      outputs: [{ name: 'y', dtype: 'float32', dims: [2, 5, 3] }],
      nodes: [{ op: 'Softmax', inputs: ['x'], outputs: ['y'], attributes: { axis: 1 } }],
    };
    const logits = Float32Array.from({ length: 30 }, (_, i) => (i % 7) * 0.3);
    const rows = [logits.subarray(0, 15), logits.subarray(15)].map((row) => {
      const e = row.map((v) => Math.exp(v));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    });
    writeCase(
      root,
      'test_softmax_opset11_axis1',
      buildOnnxModel(softmax11),
      tensorPb(1, [2, 5, 3], logits),
      tensorPb(1, [2, 5, 3], Float32Array.from([...rows[0]!, ...rows[1]!])),
    );
    writeCase(root, 'test_identity_string', buildOnnxModel(dtypeIdentityModel('string')), strings, strings);
    const report = await runConformance({
      cases: findTestCases(root),
      targets: ['ort-web:wasm@chromium', 'ort-web:webgpu@chromium'],
      dataDirs: [root],
      jobs: 2,
    });
    expect(report.targets.filter((t) => t.unavailable)).toEqual([]);
    expect(report.versions.chromium).toMatch(/^\d+\./);
    const statuses = (target: string): Record<string, string> =>
      Object.fromEntries(
        Object.entries(report.outcomes[target] ?? {}).map(([id, o]) => [
          id,
          `${o.status}${o.code ? ` ${o.code}` : ''}`,
        ]),
      );
    const expected = {
      'mine/test_float8': 'unheld',
      'mine/test_identity_int64': 'pass',
      'mine/test_identity_string': 'pass',
      'mine/test_no_such_op': 'refused UNSUPPORTED_OP',
      'mine/test_relu': 'pass',
      'mine/test_relu_again': 'pass',
      'mine/test_relu_wrong': 'wrong',
      'mine/test_softmax_opset11_axis1': 'pass',
    };
    expect(statuses('ort-web:wasm@chromium')).toEqual(expected);
    // WebGPU has no string kernels in onnxruntime-web (it may place Identity on its CPU fallback): a pass compared
    // in Node, a refusal or a run error are all honest; wrong values, a crash or a timeout are not.
    const webgpu = statuses('ort-web:webgpu@chromium');
    expect(webgpu['mine/test_identity_string']).toMatch(/^(pass|refused [A-Z_]+|run-error [A-Z_]+)$/);
    expect({ ...webgpu, 'mine/test_identity_string': expected['mine/test_identity_string'] }).toEqual({
      ...expected,
      'mine/test_softmax_opset11_axis1': 'refused UNSUPPORTED_OP',
    });
    expect(report.outcomes['ort-web:webgpu@chromium']?.['mine/test_softmax_opset11_axis1']?.detail).toMatch(
      /Softmax.*axis = 1/,
    );
    expect(report.outcomes['ort-web:wasm@chromium']?.['mine/test_relu_wrong']?.detail).toBe(
      'data set 0, output "y": element 2 is 2, expected 2.5',
    );
  }, 300_000);

  it('a target whose runtime does not load is reported unavailable, with the reason, and runs nothing', async () => {
    const root = fixtureSuite();
    const report = await runConformance({
      cases: findTestCases(root, /relu$/),
      targets: ['tfjs:webgl'],
      dataDirs: [root],
      jobs: 1,
    });
    expect(report.targets[0]?.unavailable).toMatch(/tfjs:webgl is unavailable|webgl/i);
    expect(report.outcomes['tfjs:webgl']).toEqual({});
  }, 120_000);
});
