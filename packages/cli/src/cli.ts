import { Command, CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { processIo } from './cli-io.js';
import { backendsCommand } from './commands/backends-command.js';
import { benchCommand } from './commands/bench-command.js';
import { modelsCommand } from './commands/models-command.js';
import { ocrCommand } from './commands/ocr-command.js';

/** Runs the polyinfer command line (argv without "node script") and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('polyinfer')
    .description('Run the same ONNX models on several inference backends.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('ocr')
    .description('Read the text in images with PP-OCRv4 (default: a bundled sample receipt)')
    .argument('[images...]', 'image files (PNG, JPEG, WebP, …)')
    .option('-b, --backend <name>', 'backend to use (default: the highest-priority one available)')
    .option('-d, --device <devices>', 'device or fallback chain, e.g. "cuda,cpu"')
    .option('--strict', 'fail instead of falling back when a device is unavailable')
    .option('--no-cls', 'skip the text angle classifier')
    .option('--threads <n>', 'threads per operator')
    .option('--json', 'print one JSON object per image')
    .action(async (images: string[], options) => {
      exitCode = await ocrCommand(images, options, io);
    });

  program
    .command('backends')
    .description('List every backend and device, and whether it can run on this machine (and why not)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      exitCode = await backendsCommand(options, io);
    });

  program
    .command('models')
    .description('List the model set, where its files are and whether their sha256 checks out')
    .option('--json', 'print JSON')
    .action(async (options) => {
      exitCode = await modelsCommand(options, io);
    });

  program
    .command('bench')
    .description('Benchmark every backend/device on the model set (see `polyinfer bench --help`)')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action(async (args: string[]) => {
      exitCode = await benchCommand(args, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}
