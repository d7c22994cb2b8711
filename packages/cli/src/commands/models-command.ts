import { isPolyinferError } from '@polyinfer/core';
import { PPOCR_V4_MODELS, resolveModelFile } from '@polyinfer/models';
import type { CliIo } from '../cli-io.js';

/** The model set: where each file is, whether its sha256 checks out, and its licence. */
export async function modelsCommand(options: { json?: boolean }, io: CliIo): Promise<number> {
  let failures = 0;
  const rows = [];
  for (const model of PPOCR_V4_MODELS) {
    let path: string | undefined;
    let problem: string | undefined;
    try {
      path = await resolveModelFile(model.model);
    } catch (error) {
      failures++;
      problem = isPolyinferError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    rows.push({
      id: model.id,
      title: model.title,
      task: model.task,
      path,
      sha256: model.model.sha256,
      ok: !problem,
      problem,
      license: model.license,
    });
  }
  if (options.json) io.out(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    for (const r of rows) {
      io.out(
        `${r.id}  ${r.title}\n  ${r.ok ? `ok  ${r.path}` : `missing  ${r.problem}`}\n  weights ${r.license.weights}, distributed under ${r.license.distribution}\n`,
      );
    }
  }
  return failures > 0 ? 1 : 0;
}
