import { createOrtNodeBackend } from '@polyinfer/backend-ort-node';
import type { Feeds, Session } from '@polyinfer/core';

/** A session on onnxruntime-node's CPU: the reference the optimiser's rewrites are checked against. */
export const openOnOrt = async (bytes: Uint8Array): Promise<Session> =>
  (await createOrtNodeBackend()).createSession(bytes, { device: 'cpu' });

/** One run of a model on onnxruntime-node's CPU, the session closed after. */
export async function outputsOf(model: Uint8Array, feeds: Feeds): Promise<Feeds> {
  const session = await openOnOrt(model);
  try {
    return await session.run(feeds);
  } finally {
    await session.dispose();
  }
}
