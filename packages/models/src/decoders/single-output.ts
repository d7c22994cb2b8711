import type { Feeds, Tensor } from '@polyinfer/core';
import { PolyinferError } from '@polyinfer/core';

/** The model's output is not what the decoder decodes: the wrong model behind a stage, or the wrong decoder. */
export class ModelOutputMismatchError extends PolyinferError<'MODEL_OUTPUT_MISMATCH'> {
  override readonly name = 'ModelOutputMismatchError';
  constructor(
    readonly decoder: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(
      'MODEL_OUTPUT_MISMATCH',
      `The ${decoder} decoder expects ${expected}, but the model gave ${got}: is this the right model for the stage?`,
      {
        decoder,
        expected,
        got,
      },
    );
  }
}

const describe = (outputs: Feeds): string => {
  const entries = Object.entries(outputs);
  if (entries.length === 0) return 'no output';
  return entries.map(([name, t]) => `${name}: ${t.dtype} [${t.dims.join(', ')}]`).join(', ');
};

/**
 * The one float32 output a decoder reads, checked against the dims it needs (`undefined`: any size on that axis;
 * `ranks` lists the ranks it accepts).
 */
export function singleOutput(
  outputs: Feeds,
  decoder: string,
  expected: { ranks: readonly number[]; dims?: readonly (number | undefined)[]; shape: string },
): Tensor<'float32'> {
  const values = Object.values(outputs);
  const output = values[0];
  const fits =
    values.length === 1 &&
    output !== undefined &&
    output.dtype === 'float32' &&
    expected.ranks.includes(output.dims.length) &&
    (expected.dims ?? []).every((d, axis) => d === undefined || output.dims[axis] === d);
  if (!fits) throw new ModelOutputMismatchError(decoder, `one float32 ${expected.shape} output`, describe(outputs));
  return output as Tensor<'float32'>;
}
