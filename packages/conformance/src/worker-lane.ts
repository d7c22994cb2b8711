import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CaseLane } from './case-lane.js';
import type { CaseJob, CaseOutcome } from './case-outcome.js';

// The child always runs the compiled entry (tests import this module from src/ through vitest).
const WORKER_MAIN = fileURLToPath(new URL('./case-worker-main.js', import.meta.url)).replace(
  /\/src\/case-worker-main\.js$/,
  '/dist/case-worker-main.js',
);

interface Worker {
  child: ChildProcess;
  /** Resolves once the target is loaded; rejects with why it could not be. */
  ready: Promise<void>;
  stderr: string[];
}

function startWorker(target: string): Worker {
  const child = fork(WORKER_MAIN, [target], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 20) stderr.shift();
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: { ready?: true; fatal?: string }): void => {
      child.off('exit', onExit);
      child.off('message', onMessage);
      if (message.ready) resolve();
      else reject(new Error(`target ${target} could not be loaded: ${message.fatal ?? 'no reason given'}`));
    };
    const onExit = (code: number | null): void =>
      reject(
        new Error(
          `the ${target} worker exited (code ${code}) before it was ready: ${stderr.join('').trim().slice(-400)}`,
        ),
      );
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  ready.catch(() => undefined);
  return { child, ready, stderr };
}

function stop(worker: Worker): void {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
}

/**
 * Runs cases of one target one after another in a child process, and replaces that process after any case that does
 * not pass. A spare is started ahead, so a replacement costs no wait for the runtime to load. With `sameProcess`,
 * only a process that died or timed out is replaced: every later case runs where the failing one ran, which is how
 * isolation is measured (one bad model must not change the next outcome).
 */
export class WorkerLane implements CaseLane {
  #current: Worker;
  #spare: Worker;

  constructor(
    private readonly target: string,
    private readonly timeoutMs: number,
    private readonly sameProcess = false,
  ) {
    this.#current = startWorker(target);
    this.#spare = startWorker(target);
  }

  async run(job: CaseJob): Promise<CaseOutcome> {
    const worker = this.#current;
    await worker.ready;
    const outcome = await this.#ask(worker, job);
    const dead = outcome.status === 'timeout' || outcome.status === 'crash';
    if (dead || (!this.sameProcess && outcome.status !== 'pass')) this.#replace();
    return outcome;
  }

  /** The process the next case runs in (for tests of replacement). */
  get pid(): number | undefined {
    return this.#current.child.pid;
  }

  close(): Promise<void> {
    stop(this.#current);
    stop(this.#spare);
    return Promise.resolve();
  }

  #replace(): void {
    stop(this.#current);
    this.#current = this.#spare;
    this.#spare = startWorker(this.target);
  }

  #ask(worker: Worker, job: CaseJob): Promise<CaseOutcome> {
    const started = performance.now();
    const { child } = worker;
    return new Promise<CaseOutcome>((resolve) => {
      const finish = (outcome: CaseOutcome): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(outcome);
      };
      const onMessage = (message: { id?: string; outcome?: CaseOutcome }): void => {
        if (message.id === job.id && message.outcome) finish(message.outcome);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        const last = worker.stderr.join('').trim().split('\n').slice(-2).join(' | ').slice(0, 400);
        finish({
          status: 'crash',
          detail: `the worker died (code ${code}, signal ${signal})${last ? `: ${last}` : ''}`,
          ms: Math.round(performance.now() - started),
        });
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        stop(worker);
        finish({
          status: 'timeout',
          detail: `no answer within ${Math.round(this.timeoutMs / 1000)} s`,
          ms: Math.round(performance.now() - started),
        });
      }, this.timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(job);
    });
  }
}
