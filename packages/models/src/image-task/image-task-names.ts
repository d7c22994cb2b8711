/**
 * The image tasks of this package, in one place: every one runs in worker threads (`createTaskWorkerPool`) and Web
 * Workers (`OcrWorkerClient.openTask`) — their task tables are typed by this list, so a task missing from one does not
 * compile — and the server, the benchmark and the command line name the same tasks.
 */
export const IMAGE_TASK_NAMES = ['ocr', 'detect', 'classify'] as const;

export type ImageTaskName = (typeof IMAGE_TASK_NAMES)[number];
