import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { processIo } from './cli-io.js';
import { backendsCommand } from './commands/backends-command.js';
import { benchCommand } from './commands/bench-command.js';
import { conformanceCommand } from './commands/conformance-command.js';
import { modelsCommand } from './commands/models-command.js';
import { ocrCommand } from './commands/ocr-command.js';
import { detectCommand } from './commands/detect-command.js';
import { classifyCommand } from './commands/classify-command.js';
import { serveCommand } from './commands/serve-command.js';
import { exportCommand } from './commands/export-command.js';

/** Runs the polyinfer command line (argv without "node script") and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const program = new Command('polyinfer')
    .description('Run the same ONNX models on several inference backends.')
    .version(version, '-V, --version', 'print the version of @polyinfer/cli')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('ocr')
    .description('Read the text in images with PP-OCRv4 (default: a bundled sample receipt)')
    .argument(
      '[images...]',
      'image files (PNG, JPEG, WebP, …), PDFs, directories of them, or quoted globs ("scans/**/*.png")',
    )
    .option('-b, --backend <name>', 'backend to use (default: the highest-priority one available)')
    .option('-d, --device <devices>', 'device or fallback chain, e.g. "cuda,cpu"')
    .option('--strict', 'fail instead of falling back when a device is unavailable')
    .option('--no-cls', 'skip the text angle classifier')
    .option('--threads <n>', 'threads per operator')
    .option('--json', 'print one JSON object per image')
    .option('--in-flight <n>', 'images in flight at once: the next is decoded and cropped while one is in a model', '2')
    .option(
      '--workers <n>',
      'worker threads, each with a pipeline of its own (onnxruntime-node on the CPU): throughput for many images',
    )
    .option(
      '--model-variant <variant>',
      'model files to open: auto (default: int8 on the CPU), int8, simplified or original',
    )
    .option(
      '--remote <url>',
      'run every stage on an Open Inference Protocol server: http://host:8000 or grpc://host:8001',
    )
    .option('--auth-token-file <file>', 'with --remote: the bearer token, read from this file')
    .option('--format <format>', 'write one document of every page: text, json, hocr, alto, tsv or pdf (searchable)')
    .option('--out <file>', 'write the output to this file (a PDF needs it; default: standard output)')
    .option(
      '--dpi <n>',
      "PDF pages are rendered at this many pixels per inch (default 300, capped by a page's pixel limit)",
    )
    .option('--pages <ranges>', 'the pages of each PDF to read, e.g. "1-3,7" (default: all)')
    .option('--password <password>', 'the password of encrypted PDFs')
    .action(async (images: string[], options) => {
      exitCode = await ocrCommand(images, options, io);
    });

  program
    .command('detect')
    .description('Find objects in images with your YOLO-family ONNX model (YOLOv5/v7, YOLOv8/v11, end-to-end exports)')
    .argument('<images...>', 'image files, directories of them, or quoted globs')
    .requiredOption(
      '-m, --model <file>',
      'the .onnx model (input [1, 3, H, W]; output [1, 4+C, N], [1, N, 5+C] or [1, N, 6])',
    )
    .option('--labels <file>', 'class names, one per line in class-id order')
    .option('--json', 'print one JSON object per image')
    .option('-b, --backend <name>', 'backend to use (default: the highest-priority one available)')
    .option('-d, --device <devices>', 'device or fallback chain, e.g. "cuda,cpu"')
    .option('--strict', 'fail instead of falling back when a device is unavailable')
    .option('--threads <n>', 'threads per operator')
    .option('--score-threshold <s>', 'drop detections scoring below this', '0.25')
    .option(
      '--iou-threshold <t>',
      'non-maximum suppression: the overlap above which the lower-scoring box goes',
      '0.45',
    )
    .option('--max-detections <n>', 'detections per image at most', '300')
    .option('--class-agnostic', 'suppress overlapping boxes whatever their class')
    .option('--format <format>', 'the output layout: yolov8, yolov5 or end2end (default: read from its shape)')
    .option('--input-size <n>', "the square input size when the model's is dynamic", '640')
    .option('--in-flight <n>', 'images in flight at once', '2')
    .option('--workers <n>', 'worker threads, a pipeline each (onnxruntime-node on the CPU): throughput for folders')
    .action(async (images: string[], options) => {
      exitCode = await detectCommand(images, options, io);
    });

  program
    .command('classify')
    .description('Classify images with your ONNX image classifier (ImageNet-style preprocessing by default)')
    .argument('<images...>', 'image files, directories of them, or quoted globs')
    .requiredOption(
      '-m, --model <file>',
      'the .onnx model (input [1, 3, H, W] or [1, H, W, 3]; output [1, C] logits or probabilities)',
    )
    .option('--labels <file>', 'class names, one per line in class order')
    .option('--json', 'print one JSON object per image')
    .option('-b, --backend <name>', 'backend to use (default: the highest-priority one available)')
    .option('-d, --device <devices>', 'device or fallback chain, e.g. "cuda,cpu"')
    .option('--strict', 'fail instead of falling back when a device is unavailable')
    .option('--threads <n>', 'threads per operator')
    .option('--top-k <k>', 'classes to print per image', '5')
    .option('--resize <how>', 'crop (shorter side to size / crop ratio, then the centre) or stretch', 'crop')
    .option('--crop-ratio <r>', 'the share of the resized image the centre crop keeps', '0.875')
    .option('--mean <r,g,b>', "per-channel mean after scaling to 0–1 (default ImageNet's 0.485,0.456,0.406)")
    .option('--std <r,g,b>', "per-channel std (default ImageNet's 0.229,0.224,0.225)")
    .option('--output <kind>', 'auto (default), logits (softmaxed) or probabilities')
    .option('--input-size <n>', "the square input size when the model's is dynamic", '224')
    .option('--in-flight <n>', 'images in flight at once', '2')
    .option('--workers <n>', 'worker threads, a pipeline each (onnxruntime-node on the CPU): throughput for folders')
    .action(async (images: string[], options) => {
      exitCode = await classifyCommand(images, options, io);
    });

  program
    .command('serve')
    .description('Serve models over the Open Inference Protocol (KServe v2): REST (binary tensor data) and gRPC')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--http-port <port>', 'REST port (0: any free port)', '8000')
    .option('--grpc-port <port>', 'gRPC port (0: any free port)', '8001')
    .option('--metrics-port <port>', 'Prometheus metrics, GET /metrics (0: any free port; "off": none)', '8002')
    .option(
      '-m, --model <spec>',
      'a model-set id, "ppocr" (the OCR pipeline), name=path.onnx (tensors in and out), or name=TASK:path.onnx (TASK: detect, a YOLO-family detector with an image in); repeatable (default: the PP-OCR models and ppocr)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('-b, --backend <name>', 'backend the models run on')
    .option('-d, --device <devices>', 'device or fallback chain')
    .option('--threads <n>', 'threads per operator')
    .option(
      '--auth-token-file <file>',
      'require "Authorization: Bearer <token>" (the file\'s content) on every route but the health probes',
    )
    .option(
      '--max-batch <n>',
      'dynamic batching: largest merged batch for models whose first dimension is dynamic (1: off)',
      '8',
    )
    .option('--batch-delay-ms <ms>', 'dynamic batching: how long a request waits for others', '2')
    .option('--max-queue <n>', 'requests waiting per model before new ones get 503', '64')
    .option('--max-request-rows <n>', 'the most rows (first dimension) one request to a batching model may carry', '64')
    .option(
      '--max-request-mb <mb>',
      'largest request body (REST) or message (gRPC); less for a model whose shapes bound it',
      '64',
    )
    .option(
      '--max-inflight-mb <mb>',
      'request bytes read or held at once over every connection before new ones get 503',
      '256',
    )
    .option(
      '--max-image-mp <mp>',
      'image models (OCR, detection) decode images of at most this many megapixels (checked from the header)',
      '40',
    )
    .option('--allowed-hosts <hosts>', 'comma-separated Host names accepted besides loopback ones ("*": any)')
    .option(
      '--cors-origins <origins>',
      'comma-separated browser origins that may call the server ("*": any); none by default',
    )
    .option(
      '--shutdown-timeout-s <s>',
      'after SIGTERM, how long in-flight requests get before every connection is cut',
      '30',
    )
    .option('--request-timeout-s <s>', 'a whole request must arrive within this', '60')
    .option('--tls-cert <file>', 'serve HTTPS and gRPC over TLS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .action(async (options) => {
      exitCode = await serveCommand(options, io);
    });

  const exportGroup = program.command('export').description('Write models in the layout another server takes');
  exportGroup
    .command('triton')
    .description(
      'Write a Triton model repository entry (config.pbtxt + 1/model.onnx) for a model-set id or an .onnx file',
    )
    .argument('<model>', 'a model-set id (ppocr-v4-det, …) or a path to an .onnx file')
    .argument('<dir>', 'the model repository folder')
    .option('--name <name>', 'the model name in the repository (default: the id, or the file name)')
    .option('--max-batch-size <n>', 'max_batch_size when the first dimension is dynamic', '8')
    .action(async (model: string, dir: string, options) => {
      exitCode = await exportCommand(model, dir, options, io);
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

  program
    .command('conformance')
    .description(
      "Run ONNX's backend test suite on each backend and report what passes (see `polyinfer conformance --help`)",
    )
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action(async (args: string[]) => {
      exitCode = await conformanceCommand(args, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}
