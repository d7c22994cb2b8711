import type { Feeds } from '@polyinfer/core';
import { createRegistry, isPolyinferError } from '@polyinfer/core';
import { registerCatalogue, wasmConfigs } from '@polyinfer/backends';
import type { PageCaseResult, PageCaseSpec } from '../src/page-types.js';
import { tensorFromWire, tensorToWire } from '../src/wire-tensor.js';

const failure = (error: unknown): { code: string; message: string } => ({
  code: isPolyinferError(error) ? error.code : 'ERROR',
  message: (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 400) ?? '',
});

/**
 * One ONNX test case in the page: open the model on the target (strict: the device named or nothing), run each data
 * set, hand back the outputs for Node to compare. The comparison stays in Node, one rule for every target.
 */
export async function runConformanceCase(spec: PageCaseSpec, wasmPaths: string): Promise<PageCaseResult> {
  const registry = registerCatalogue(createRegistry(), 'browser', wasmConfigs({ paths: wasmPaths, threads: 1 }));
  let session;
  try {
    session = await registry.createSession(spec.modelUrl, {
      backend: spec.backend,
      devices: [spec.device],
      strict: true,
    });
  } catch (error) {
    return { refused: failure(error) };
  }
  try {
    const outputs: PageCaseResult['outputs'] = [];
    for (const [index, set] of spec.dataSets.entries()) {
      const feeds: Feeds = Object.fromEntries(set.map((w) => [w.name, tensorFromWire(w)]));
      let results: Feeds;
      try {
        results = await session.run(feeds);
      } catch (error) {
        return { runError: { index, ...failure(error) } };
      }
      outputs.push(Object.entries(results).map(([name, t]) => tensorToWire(name, t)));
    }
    return { outputs };
  } finally {
    await session.dispose().catch(() => undefined);
  }
}
