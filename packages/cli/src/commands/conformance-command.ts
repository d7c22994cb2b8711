import type { CliIo } from '../cli-io.js';

interface ConformanceModule {
  runConformanceCli(argv: string[], io: CliIo): Promise<number>;
}

/** The ONNX test-suite runner is its own package (@polyinfer/conformance, a dependency of this one); loaded only when asked for. */
export async function conformanceCommand(args: string[], io: CliIo): Promise<number> {
  let conformance: ConformanceModule;
  try {
    conformance = (await import('@polyinfer/conformance')) as ConformanceModule;
  } catch (error) {
    io.err(
      `polyinfer: the conformance runner could not be loaded (${(error as Error).message.split('\n')[0]}); install it with: npm install @polyinfer/conformance\n`,
    );
    return 2;
  }
  return conformance.runConformanceCli(args, io);
}
