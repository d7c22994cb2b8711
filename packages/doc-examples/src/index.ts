export type { DocExample } from './extract-examples.js';
export { extractExamples } from './extract-examples.js';
export type { ExampleProblem } from './check-examples.js';
export { checkExamples, publishedTypes } from './check-examples.js';
