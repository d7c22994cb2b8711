/**
 * Which form of the model files the sessions open (default `auto`):
 * - `auto`: `int8` where every stage runs on onnxruntime-node's CPU (named, or no backend named), `original` for a
 *   remote backend (the server holds its own files), `simplified` anywhere else;
 * - `original`: the files as shipped;
 * - `simplified`: exact graph folds (affine maps and batch norms into convolutions, hard-swish as one op);
 *   outputs equal to float rounding;
 * - `int8`: simplified, then detection and recognition quantised to int8 (QDQ), calibrated on the text lines of the
 *   samples this package ships. Faster on CPUs with int8 dot products; see the docs (guide/accuracy) for its measured accuracy.
 * Variants are written once into `variants/` in the model cache, keyed by the source's sha256 and the optimiser's
 * version.
 */
export type OcrModelVariant = 'auto' | 'original' | 'simplified' | 'int8';

export const OCR_MODEL_VARIANTS: readonly OcrModelVariant[] = ['auto', 'original', 'simplified', 'int8'];
