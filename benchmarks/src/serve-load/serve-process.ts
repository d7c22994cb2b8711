import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServeProcess {
  http: string;
  stop(): Promise<number | null>;
}

export interface ServeProcessOptions {
  models: string[];
  maxBatch: number;
  batchDelayMs: number;
  maxQueue: number;
}

/** A server in a child process (its own event loop, as in production), resolved once it says where it serves. */
export function startServeProcess(options: ServeProcessOptions): Promise<ServeProcess> {
  return startChild('serve-main', options);
}

/** The floor: a bare node:http server calling onnxruntime-node directly (floor-main.ts), in a child process. */
export function startFloorProcess(options: { model: string }): Promise<ServeProcess> {
  return startChild('floor-main', options);
}

function startChild(script: string, options: object): Promise<ServeProcess> {
  // The built file also when this module runs from its TypeScript source (tests).
  const main = fileURLToPath(new URL(`./${script}.js`, import.meta.url)).replace(
    new RegExp(`/src/serve-load/${script}\\.js$`),
    `/dist/serve-load/${script}.js`,
  );
  const child = spawn(process.execPath, [main, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /REST (http:\/\/[\d.]+:\d+)/.exec(out);
      if (!match) return;
      child.stdout?.off('data', onData);
      resolve({
        http: match[1] as string,
        stop: () => {
          child.kill('SIGTERM');
          return exit;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exit.then((code) => reject(new Error(`the server process exited (${code}) before serving: ${out}`)));
  });
}
