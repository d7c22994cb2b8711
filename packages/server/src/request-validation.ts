import { sizeOf } from '@polyinfer/core';
import type { DeclaredInput } from '@polyinfer/v2-protocol';
import { V2_ELEMENT_BYTES } from '@polyinfer/v2-protocol';
import type { ServedModel } from './served-model.js';
import { ServerError } from './server-errors.js';

const bad = (message: string, details: Record<string, unknown>): ServerError =>
  new ServerError('BAD_REQUEST', message, details);

/** A request's declared inputs after validation: the rows it contributes to a batch and the key of its batch. */
export interface ValidatedRequest {
  rows: number;
  /** Requests share an execution only when their keys are equal: same inputs, datatypes, every dim but the first, outputs. */
  batchKey: string;
}

/**
 * A request checked alone against the model's metadata, before its data is read and before it may join a batch:
 * every input present once and no other, datatype and rank as declared, every fixed dimension as fixed, the outputs
 * asked for known and named once, and — for a batching model — every input agreeing on the rows (1 … maxRows).
 */
export function validateRequest(
  model: ServedModel,
  inputs: readonly DeclaredInput[],
  outputs: readonly string[] | undefined,
  maxRows: number,
): ValidatedRequest {
  const given = new Map<string, DeclaredInput>();
  for (const input of inputs) {
    if (given.has(input.name)) throw bad(`input "${input.name}" is given twice`, { input: input.name });
    given.set(input.name, input);
  }
  const unknown = [...given.keys()].filter((name) => !model.inputs.some((i) => i.name === name));
  if (unknown.length > 0)
    throw bad(
      `model ${model.name} has no input ${unknown.map((n) => `"${n}"`).join(', ')}; its inputs are ${model.inputs.map((i) => i.name).join(', ')}`,
      { unknown },
    );
  let rows: number | undefined;
  for (const meta of model.inputs) {
    const input = given.get(meta.name);
    if (!input)
      throw bad(`model ${model.name} needs input "${meta.name}" (${meta.datatype} [${meta.shape.join(', ')}])`, {
        input: meta.name,
      });
    if (input.datatype !== meta.datatype)
      throw bad(`input "${meta.name}" is ${meta.datatype}, got ${input.datatype}`, {
        input: meta.name,
        expected: meta.datatype,
        got: input.datatype,
      });
    const fits = input.shape.length === meta.shape.length && meta.shape.every((d, i) => d < 0 || d === input.shape[i]);
    if (!fits)
      throw bad(
        `input "${meta.name}" has shape [${meta.shape.join(', ')}] (-1: any), got [${input.shape.join(', ')}]`,
        { input: meta.name, expected: meta.shape, got: input.shape },
      );
    if (model.batchable) {
      const n = input.shape[0] as number;
      if (rows !== undefined && n !== rows)
        throw bad(`inputs disagree on the batch dimension: "${meta.name}" has ${n} rows, an earlier input ${rows}`, {
          input: meta.name,
          rows: n,
          expected: rows,
        });
      rows = n;
    }
  }
  if (rows !== undefined && (rows < 1 || rows > maxRows)) {
    throw bad(`a request to model ${model.name} carries 1 to ${maxRows} rows (--max-request-rows); got ${rows}`, {
      rows,
      maxRows,
    });
  }
  if (outputs !== undefined) {
    const seen = new Set<string>();
    for (const name of outputs) {
      if (seen.has(name)) throw bad(`output "${name}" is asked for twice`, { output: name });
      seen.add(name);
      if (!model.outputs.some((o) => o.name === name))
        throw bad(
          `model ${model.name} has no output "${name}"; its outputs are ${model.outputs.map((o) => o.name).join(', ')}`,
          { output: name },
        );
    }
  }
  const signature = model.inputs.map((meta) => {
    const input = given.get(meta.name) as DeclaredInput;
    return `${meta.name}:${input.datatype}:${input.shape.slice(model.batchable ? 1 : 0).join('x')}`;
  });
  return { rows: rows ?? 1, batchKey: `${signature.join(';')}|${outputs ? [...outputs].sort().join(',') : '*'}` };
}

/** JSON takes at most this many bytes per element (a float written in full, with separators and indentation). */
const JSON_BYTES_PER_ELEMENT = 64;
/** Room for the request's own JSON (names, shapes, parameters) beside its tensors. */
const HEADER_ALLOWANCE = 64 * 1024;

/**
 * The most bytes a valid request to this model can take, from its metadata alone: known when every input is numeric
 * with every dimension but the batch fixed. A body past it is refused before it is read; undefined: no bound but
 * the server's --max-request-mb.
 */
export function requestByteBound(model: ServedModel, maxRows: number): number | undefined {
  let total = HEADER_ALLOWANCE;
  for (const meta of model.inputs) {
    if (meta.datatype === 'BYTES' || !(meta.datatype in V2_ELEMENT_BYTES)) return undefined;
    const dims = meta.shape.map((d, i) => (i === 0 && model.batchable ? maxRows : d));
    if (dims.some((d) => d < 0)) return undefined;
    // JSON's worst case is above every binary element's size (8 bytes at most).
    total += sizeOf(dims) * JSON_BYTES_PER_ELEMENT;
  }
  return total;
}
