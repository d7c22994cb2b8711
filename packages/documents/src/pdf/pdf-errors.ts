import { PolyinferError } from '@polyinfer/core';

export type PdfErrorCode = 'PDF_ENCRYPTED' | 'PDF_INVALID' | 'PDF_PAGE_FAILED' | 'PDF_PAGE_RANGE' | 'PDF_PAGE_IMAGE';

/** The PDF asks for a password (or the one given is wrong). */
export class PdfEncryptedError extends PolyinferError<'PDF_ENCRYPTED'> {
  override readonly name = 'PdfEncryptedError';
  constructor(source: string, cause?: unknown) {
    super(
      'PDF_ENCRYPTED',
      `${source} is encrypted: give its password (--password) to read it`,
      { source },
      {
        cause,
        fault: 'caller',
      },
    );
  }
}

/** The bytes are not a PDF that can be opened (truncated, corrupt, not a PDF at all). */
export class InvalidPdfError extends PolyinferError<'PDF_INVALID'> {
  override readonly name = 'InvalidPdfError';
  constructor(source: string, reason: string, cause?: unknown) {
    super('PDF_INVALID', `${source} is not a readable PDF: ${reason}`, { source, reason }, { cause, fault: 'caller' });
  }
}

/** One page could not be rendered (broken content, or too large); the other pages still are. */
export class PdfPageError extends PolyinferError<'PDF_PAGE_FAILED'> {
  override readonly name = 'PdfPageError';
  constructor(source: string, page: number, reason: string, cause?: unknown) {
    super(
      'PDF_PAGE_FAILED',
      `${source}, page ${page}: ${reason}`,
      { source, page, reason },
      { cause, fault: 'caller' },
    );
  }
}

/** A page selection that does not parse, or names pages the document does not have. */
export class PageRangeError extends PolyinferError<'PDF_PAGE_RANGE'> {
  override readonly name = 'PageRangeError';
  constructor(selection: string, reason: string) {
    super('PDF_PAGE_RANGE', `pages "${selection}": ${reason}`, { selection, reason }, { fault: 'caller' });
  }
}

/** A searchable PDF's page picture must be PNG or JPEG bytes. */
export class UnsupportedPageImageError extends PolyinferError<'PDF_PAGE_IMAGE'> {
  override readonly name = 'UnsupportedPageImageError';
  constructor(page: number) {
    super(
      'PDF_PAGE_IMAGE',
      `page ${page}: the page's picture must be PNG or JPEG bytes`,
      { page },
      {
        fault: 'caller',
      },
    );
  }
}
