/** Whether encoded bytes are a PDF rather than an image (its "%PDF-" header). */
export function isPdfBytes(bytes: Uint8Array): boolean {
  return bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d;
}

/** Why a PDF is refused as an image, and what reads it. */
export const PDF_IS_NOT_AN_IMAGE =
  'it is a PDF, not an image: render its pages with openPdf or read it with ocrDocument from @polyinfer/documents (`polyinfer ocr` takes PDFs)';
