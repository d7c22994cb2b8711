import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A `polyinfer serve` process of any checkout, driven only from outside: its URLs, its pid's memory, its exit. */
export interface ProbeServer {
  http: string;
  grpc: string;
  metrics?: string;
  pid: number;
  /** Peak resident memory so far (VmHWM), bytes. */
  peakRss(): number;
  /** SIGTERM; resolves with the exit code and how long it took (ms), or null if it did not exit within `limitMs`. */
  terminate(limitMs?: number): Promise<{ code: number | null; ms: number } | null>;
  kill(): void;
}

/** The flags this checkout's `serve` knows (an older one lacks the hardening flags: the probe runs without them). */
export function serveFlags(bin: string): Set<string> {
  const help = execFileSync(process.execPath, [bin, 'serve', '--help'], { encoding: 'utf8' });
  return new Set(help.match(/--[a-z-]+/g) ?? []);
}

export function startProbeServer(bin: string, args: string[]): Promise<ProbeServer> {
  const known = serveFlags(bin);
  const wanted = [
    '--http-port',
    '0',
    '--grpc-port',
    '0',
    ...(known.has('--metrics-port') ? ['--metrics-port', '0'] : []),
    ...args,
  ];
  const child = spawn(process.execPath, [bin, 'serve', ...wanted], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /REST (\S+?),? gRPC (\S+?)(?:, metrics (\S+?))?;/.exec(out);
      if (!match) return;
      resolve({
        http: match[1] as string,
        grpc: match[2] as string,
        ...(match[3] ? { metrics: match[3] } : {}),
        pid: child.pid as number,
        peakRss: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) * 1024,
        async terminate(limitMs = 20_000) {
          const started = performance.now();
          child.kill('SIGTERM');
          let timer: ReturnType<typeof setTimeout> | undefined;
          const code = await Promise.race([
            exit,
            new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), limitMs))),
          ]);
          clearTimeout(timer);
          if (code === 'late') {
            child.kill('SIGKILL');
            return null;
          }
          return { code, ms: performance.now() - started };
        },
        kill: () => child.kill('SIGKILL'),
      });
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exit.then((code) => reject(new Error(`polyinfer serve exited (${code}) before serving: ${out}`)));
  });
}
