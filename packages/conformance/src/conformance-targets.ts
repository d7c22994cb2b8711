import type { Feeds, Session } from '@polyinfer/core';
import { createRegistry } from '@polyinfer/core';

/** A model opened on a target: runs feeds, gives outputs, is disposed. */
export interface CaseSession {
  run(feeds: Feeds): Promise<Feeds>;
  dispose(): Promise<void>;
}

/** Where cases run: polyinfer's backends by "backend:device", or onnxruntime-node itself (no polyinfer between). */
export interface CaseTarget {
  name: string;
  open(modelPath: string): Promise<CaseSession>;
}

/** onnxruntime-node called directly: the reference that shows what polyinfer adds or loses. */
export const RAW_ONNXRUNTIME = 'onnxruntime-node';

/** The targets this runner knows (in Node). */
export const TARGET_NAMES = [RAW_ONNXRUNTIME, 'ort-node:cpu', 'ort-web:wasm', 'tfjs:wasm', 'tfjs:cpu'] as const;

async function rawOnnxruntime(): Promise<CaseTarget> {
  const ort = await import('onnxruntime-node');
  const { outputsFromOrt } = await import('@polyinfer/ort-common');
  return {
    name: RAW_ONNXRUNTIME,
    async open(modelPath) {
      const session = await ort.InferenceSession.create(modelPath);
      return {
        async run(feeds) {
          const ortFeeds = Object.fromEntries(
            Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.dtype as never, t.data as never, t.dims)]),
          );
          return outputsFromOrt(await session.run(ortFeeds));
        },
        dispose: () => session.release(),
      };
    },
  };
}

async function polyinferTarget(name: string): Promise<CaseTarget> {
  const [backend, device] = name.split(':') as [string, string | undefined];
  const { BACKEND_CATALOGUE, registerCatalogue } = await import('@polyinfer/backends');
  const entry = BACKEND_CATALOGUE.find((e) => e.name === backend && !e.remote && e.environments.includes('node'));
  if (!entry || device === undefined)
    throw new Error(
      `unknown conformance target "${name}" (known: ${TARGET_NAMES.join(', ')}, or any backend:device of ${BACKEND_CATALOGUE.filter(
        (e) => !e.remote,
      )
        .map((e) => e.name)
        .join(', ')})`,
    );
  const registry = registerCatalogue(createRegistry(), 'node');
  // A device that cannot run here makes the whole target unavailable (said once, with the reason), not every case refused.
  const status = await (await registry.get(backend)).probe(device);
  if (!status.available) throw new Error(`${name} is unavailable here: ${status.reason}`);
  return {
    name,
    async open(modelPath) {
      const session: Session = await registry.createSession(modelPath, { backend, devices: [device], strict: true });
      return { run: (feeds) => session.run(feeds), dispose: () => session.dispose() };
    },
  };
}

/** A target by name; an unknown one is an error naming the known ones. */
export function loadCaseTarget(name: string): Promise<CaseTarget> {
  return name === RAW_ONNXRUNTIME ? rawOnnxruntime() : polyinferTarget(name);
}
