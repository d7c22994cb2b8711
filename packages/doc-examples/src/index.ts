export type { DocExample } from './extract-examples.js';
export { extractExamples } from './extract-examples.js';
export type { ExampleProblem } from './check-examples.js';
export { checkExamples, publishedTypes } from './check-examples.js';
export type { ErrorClassInfo } from './error-codes-table.js';
export { errorClasses, errorCodesTable } from './error-codes-table.js';
export { generatedContent, replaceGenerated } from './generated-sections.js';
export { generatedTables } from './write-tables.js';
export { devicesTable } from './devices-table.js';
