import type { CliIo } from '../cli-io.js';

interface BenchModule {
  runBenchCli(argv: string[], io: CliIo): Promise<number>;
}

/** The harness lives in the workspace's benchmarks package; loaded only when asked for. */
export async function benchCommand(args: string[], io: CliIo): Promise<number> {
  let bench: BenchModule;
  try {
    bench = (await import('@polyinfer/benchmarks' as string)) as BenchModule;
  } catch (error) {
    io.err(`polyinfer: the benchmark harness is not installed (${(error as Error).message.split('\n')[0]}); run it from the polyinfer workspace\n`);
    return 2;
  }
  return bench.runBenchCli(args, io);
}
