/** Every default of the OCR pipeline in one place (model-specific sizes come from the model descriptors). */
export const OCR_DEFAULTS = Object.freeze({
  detection: Object.freeze({
    /** Longest image side fed to DB, unless the descriptor says otherwise. */
    limitSideLen: 960,
    limitType: 'max' as 'max' | 'min',
    /** DB's input sides are multiples of this. */
    multiple: 32,
    /** Boxes this much taller than wide are vertical text, read turned 90° counter-clockwise (as PaddleOCR). */
    verticalAspect: 1.5,
    /** Boxes whose tops are this close (pixels) are one row of the reading order. */
    rowTolerance: 10,
  }),
  classification: Object.freeze({
    /** Lines are turned only when the classifier says 180° with more confidence than this. */
    threshold: 0.9,
    batchSize: 6,
    /** A long line is classified from up to this many windows at its natural aspect, averaged. */
    windows: 3,
    /**
     * Page vote: on a page of more lines than this, the widest this-many are classified first; when they all agree
     * with at least `threshold` confidence, the rest of the page follows them unclassified (a page is almost always
     * turned as a whole). Any disagreement, or a doubtful vote, classifies every line. 0 turns the vote off.
     */
    voteLines: 4,
  }),
  recognition: Object.freeze({
    batchSize: 6,
    /** A batch closes before its lines × tensor width passes this many columns. */
    maxBatchWidth: 1600,
    /** Recognition batches in flight at once. */
    concurrency: 1,
    /** Lines less confident than this are dropped. */
    dropScore: 0.5,
    /** Narrowest recognition tensor (PaddleOCR pads every batch to at least 320). */
    minWidth: 0,
    /**
     * Crop width relative to the line's aspect at height 48 (see LineBatchOptions.widthScale): 0.8 cut recognition by a
     * sixth with the same CER on the 44-image test set and the six samples (bench:ocr); 0.7 began to lose characters.
     */
    widthScale: 0.8,
    /** Tensor widths are rounded up to a multiple of this (fewer distinct shapes for the runtime). */
    widthMultiple: 8,
    /**
     * Each crop is widened by this × the line height on both ends: DB boxes are tight, and a final "." or ","
     * at the edge is lost without a little context.
     */
    lineMargin: 0.15,
  }),
});
