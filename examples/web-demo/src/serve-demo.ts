import { fileURLToPath } from 'node:url';
import { startRigServer } from '@polyinfer/browser-rig';
import type { RigServer, RigServerOptions } from '@polyinfer/browser-rig';

/** Serves the built demo on 127.0.0.1 with the headers wasm threads need, plus the runtime, models and samples. */
export function serveDemo(options: Pick<RigServerOptions, 'onRequest'> = {}): Promise<RigServer> {
  return startRigServer({ ...options, pageDir: fileURLToPath(new URL('../dist-page/', import.meta.url)) });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await serveDemo();
  console.log(`polyinfer web demo: ${server.url}  (Ctrl-C to stop)`);
  process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
}
