import { basename, resolve } from 'node:path';
import { PPOCR_V4_MODELS, resolveModelFile } from '@polyinfer/models';
import { writeTritonModel } from '@polyinfer/server';
import { REFERENCE_TARGET } from '@polyinfer/backends';
import type { CliIo } from '../cli-io.js';
import { createCliRegistry } from '../cli-registry.js';

/** `polyinfer export triton <model> <dir>`: a Triton model repository entry for the same ONNX file. */
export async function exportCommand(
  model: string,
  dir: string,
  options: { name?: string; maxBatchSize?: string },
  io: CliIo,
): Promise<number> {
  try {
    const descriptor = PPOCR_V4_MODELS.find((m) => m.id === model);
    const path = descriptor ? ((await resolveModelFile(descriptor.model)) as string) : resolve(model);
    const name = options.name ?? descriptor?.id ?? basename(path).replace(/\.onnx$/i, '');
    // The model's real metadata, as the reference backend (onnxruntime, as in Triton) reads it.
    const session = await createCliRegistry(io, { quiet: true }).createSession(path, {
      backend: REFERENCE_TARGET.backend,
      devices: [REFERENCE_TARGET.device],
    });
    const metadata = { inputs: session.inputs, outputs: session.outputs };
    await session.dispose();
    const written = await writeTritonModel(dir, name, path, metadata, Number(options.maxBatchSize ?? 8));
    io.out(`wrote ${written.config}\nwrote ${written.model}\n`);
    return 0;
  } catch (error) {
    io.err(`polyinfer export: ${(error as Error).message}\n`);
    return 2;
  }
}
