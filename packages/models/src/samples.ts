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

/** Pages with a layout to read right — a two-column page, a table, a form — with their ground-truth.json. */
export const DOCUMENT_SAMPLES_DIR = `${SAMPLES_DIR}documents/`;

/** Each document sample's file name → its lines, in reading order (columns one after the other). */
export function documentSampleGroundTruth(): Record<string, string[]> {
  return JSON.parse(readFileSync(`${DOCUMENT_SAMPLES_DIR}ground-truth.json`, 'utf8')) as Record<string, string[]>;
}
