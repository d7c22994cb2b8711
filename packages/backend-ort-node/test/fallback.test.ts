import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOnnxModel, createRegistry, isPolyinferError, Tensor } from '@polyinfer/core';
import { conformanceModels } from '@polyinfer/core/testing';
import { createOrtNodeBackend, registerOrtNodeBackend } from '@polyinfer/backend-ort-node';

const model = buildOnnxModel(conformanceModels.add);
const ones = (): Tensor => new Tensor('float32', new Float32Array(6).fill(1), [2, 3]);

// No GPU and no CUDA/TensorRT provider libraries here: these tests exercise the path a GPU user takes up to the
// point where onnxruntime would load the provider, and the fallback polyinfer adds on top of onnxruntime.
describe('ort-node device fallback', () => {
  it('falls back from tensorrt and cuda to cpu and says why', async () => {
    const registry = createRegistry();
    registerOrtNodeBackend(registry);
    const session = await registry.createSession(model, { backend: 'ort-node', devices: ['tensorrt', 'cuda', 'cpu'] });
    expect(session.device).toBe('cpu');
    expect(session.provenance.skipped.map((s) => s.device)).toEqual(['tensorrt', 'cuda']);
    for (const skipped of session.provenance.skipped) {
      expect(skipped.reason).toMatch(/provider libraries not installed .*ONNXRUNTIME_NODE_INSTALL=cuda12/);
    }
    const out = await session.run({ a: ones(), b: ones() });
    expect([...(out.sum?.data as Float32Array)]).toEqual([2, 2, 2, 2, 2, 2]);
    await session.dispose();
  });

  it('in strict mode names the missing provider library', async () => {
    const registry = createRegistry();
    registerOrtNodeBackend(registry);
    const error = await registry
      .createSession(model, { backend: 'ort-node', devices: ['cuda', 'cpu'], strict: true })
      .catch((e: unknown) => e);
    expect(isPolyinferError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('libonnxruntime_providers_cuda.so');
  });

  it("when the provider libraries are present but CUDA is not, onnxruntime's load failure becomes DEVICE_UNAVAILABLE", async () => {
    // A directory that claims to hold the provider libraries: onnxruntime then really tries to append the CUDA
    // provider, fails to load it, and that failure must map to a fallback, not a model error.
    const fakeDir = mkdtempSync(join(tmpdir(), 'ort-bin-'));
    const { writeFileSync } = await import('node:fs');
    for (const lib of ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'])
      writeFileSync(join(fakeDir, lib), '');
    const backend = await createOrtNodeBackend({ binaryDir: fakeDir });
    const error = await backend.createSession(model, { device: 'cuda' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect((await backend.probe('cuda')).available).toBe(false);
  });

  it('reports the experimental webgpu device as unavailable without an adapter, cpu as available', async () => {
    const registry = createRegistry();
    registerOrtNodeBackend(registry);
    const [report] = await registry.report();
    const byDevice = Object.fromEntries((report?.devices ?? []).map((d) => [d.device, d]));
    expect(byDevice.cpu?.available).toBe(true);
    expect(byDevice.cuda?.available).toBe(false);
    expect(byDevice.tensorrt?.available).toBe(false);
    expect(byDevice.webgpu?.experimental).toBe(true);
    if (!byDevice.webgpu?.available) expect(byDevice.webgpu?.reason).toMatch(/adapter|vulkan/i);
  });

  it('a runtime that fails to load makes the backend unavailable, with the reason', async () => {
    const error = await createOrtNodeBackend({
      loadRuntime: () => Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file')),
    }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('cannot open shared object file');
  });
});
