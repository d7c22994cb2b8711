/** One file a browser fetches: its URL (relative to the manifest's), sha256 and size. */
export interface ManifestFile {
  url: string;
  sha256: string;
  bytes: number;
}

/**
 * What a server tells browsers about the OCR model files it serves (`ocr-models.json`): which variant, and each
 * file's integrity, so a page can verify downloads and trust its cache without asking the server again.
 */
export interface OcrModelManifest {
  /** The form of the model files: 'simplified' (exact graph rewrites of the shipped files) or 'original'. */
  variant: 'original' | 'simplified';
  det: ManifestFile;
  rec: ManifestFile;
  cls?: ManifestFile;
  dictionary: ManifestFile;
}

/** The manifest's usual name beside the files it lists. */
export const OCR_MODEL_MANIFEST = 'ocr-models.json';
