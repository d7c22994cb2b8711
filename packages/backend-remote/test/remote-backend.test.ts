import { V2_DTYPES } from '@polyinfer/v2-protocol';
import { describe, expect, it } from 'vitest';
import { createRegistry, isPolyinferError } from '@polyinfer/core';
import { createRemoteBackend, registerRemoteBackend } from '@polyinfer/backend-remote';

describe('remote backend without a server', () => {
  it('a protocol with no server configured is unavailable, saying what to configure', async () => {
    const backend = await createRemoteBackend({ url: 'http://127.0.0.1:8000' });
    expect(await backend.probe('grpc')).toEqual({
      available: false,
      reason: 'no gRPC server configured (grpcUrl, or backendOptions.url)',
    });
    const error = await backend.createSession('ppocr-v4-det', { device: 'grpc' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
  });

  it('is never chosen unless named: its priority is below every in-process backend', async () => {
    const registry = createRegistry();
    registerRemoteBackend(registry, {});
    registry.register('local', async () =>
      (await import('@polyinfer/core/testing')).createMockBackend({ name: 'local' }),
    );
    expect(registry.names).toEqual(['local', 'remote']);
  });

  it('model bytes cannot be sent: the server runs the models it has', async () => {
    const backend = await createRemoteBackend({ url: 'http://127.0.0.1:8000' });
    const error = await backend.createSession(new Uint8Array([1, 2, 3]), { device: 'http' }).catch((e: unknown) => e);
    expect(isPolyinferError(error, 'MODEL_LOAD_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/name one \(backendOptions\.model\), not bytes/);
  });

  it("honours url, model and version per session; tunable options are the server's own", async () => {
    const backend = await createRemoteBackend();
    expect(backend.capabilities).toEqual({
      options: [],
      backendOptions: ['url', 'model', 'version'],
      runPolicy: 'concurrent',
      dtypes: V2_DTYPES,
      opensModelsByName: true,
      backendOptionTypes: { url: 'string', model: 'string', version: 'string' },
    });
    // A value of the wrong type is refused by name before anything is sent.
    const error = await backend
      .createSession('m', { device: 'http', backendOptions: { model: 42 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INVALID_CONFIG',
      message: "remote's backendOptions.model takes string; got 42",
    });
  });
});
