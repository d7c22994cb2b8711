/**
 * Changes whenever a rewrite or the quantiser changes what it writes: caches of optimised models key on it, so an
 * upgrade never reads a file the previous version wrote.
 */
export const OPTIMIZER_VERSION = '3';
