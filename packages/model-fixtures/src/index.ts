export type { ClassicCnn } from './classic-cnns.js';
export {
  CLASSIC_CNNS,
  fixtureCacheDir,
  lightExpectedOutputPath,
  lightModelPath,
  ONNX_LIGHT_DIR,
  reweightedPath,
} from './classic-cnns.js';
export { readTensorProto, reweightConstantOfShape } from './reweight-onnx.js';
export type { OutputSpread } from './output-spread.js';
export { outputSpread } from './output-spread.js';
export type { PlantedBox, YoloBoxFinderSpec } from './yolo-box-finder.js';
export { buildYoloBoxFinder } from './yolo-box-finder.js';
export type { MeanColourClassifierSpec } from './mean-colour-classifier.js';
export { buildMeanColourClassifier } from './mean-colour-classifier.js';
