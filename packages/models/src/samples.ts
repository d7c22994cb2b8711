import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder of sample images this package ships (rendered by polyinfer's own script), with ground-truth.json. */
export const SAMPLES_DIR = fileURLToPath(new URL('../samples/', import.meta.url));

/** The image the CLI reads when given none. */
export const DEFAULT_SAMPLE_IMAGE = `${SAMPLES_DIR}receipt.png`;

/** Each sample file name → its lines, in reading order. */
export function sampleGroundTruth(): Record<string, string[]> {
  return JSON.parse(readFileSync(`${SAMPLES_DIR}ground-truth.json`, 'utf8')) as Record<string, string[]>;
}
