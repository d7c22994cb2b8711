import type { CliIo } from '../cli-io.js';

interface BenchModule {
  runBenchCli(argv: string[], io: CliIo): Promise<number>;
}

/** The harness is its own package (@polyinfer/bench, a dependency of this one); loaded only when asked for. */
export async function benchCommand(args: string[], io: CliIo): Promise<number> {
  let bench: BenchModule;
  try {
    bench = (await import('@polyinfer/bench')) as BenchModule;
  } catch (error) {
    io.err(
      `polyinfer: the benchmark harness could not be loaded (${(error as Error).message.split('\n')[0]}); install it with: npm install @polyinfer/bench\n`,
    );
    return 2;
  }
  return bench.runBenchCli(args, io);
}
