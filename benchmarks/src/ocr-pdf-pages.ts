import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import '@polyinfer/backend-ort-node';
import { characterErrorRate, exactLinesInOrder } from '@polyinfer/bench-core';
import { ocrDocument, openPdf } from '@polyinfer/documents';
import { createOcrPipeline } from '@polyinfer/models';
import { renderTestSet } from './ocr-test-set.js';

/**
 * OCR of a PDF, pages per second: the test set's images (rendered by ocr-test-set.ts, never tuned on) made into one
 * PDF with pdf-lib, a page per image at 72 dpi (a pixel per point, as img2pdf makes a scan), read by `ocrDocument`
 * (pdf.js renders each page, then the OCR pipeline reads it): by default, where a scanned page is rendered at its
 * picture's own resolution, and upsampled to 150 and 300 dpi, to show what upsampling costs. Rendering alone is timed
 * in a pass of its own, so that the table shows what the PDF costs beside the OCR. Text is scored against the ground
 * truth.
 *
 *   pnpm bench:ocr-pdf [--dpi 150,300]    (the resolutions to upsample to)
 */

const { values } = parseArgs({ options: { dpi: { type: 'string', default: '150,300' } } });
const settings = [
  { label: '300 (default: a scan at its own 72)', dpi: 300, upsamplePictures: false },
  ...values.dpi.split(',').map((d) => ({ label: `${d}, upsampled`, dpi: Number(d), upsamplePictures: true })),
];
const dir = join(process.env.POLYINFER_CACHE ?? join(tmpdir(), 'polyinfer-cache'), 'ocr-test-set');
const { truth } = await renderTestSet(dir);
const images = Object.keys(truth);

const doc = await PDFDocument.create();
for (const image of images) {
  const png = await doc.embedPng(readFileSync(join(dir, image)));
  doc.addPage([png.width, png.height]).drawImage(png, { x: 0, y: 0, width: png.width, height: png.height });
}
const pdf = await doc.save();

const ocr = await createOcrPipeline({ backend: 'ort-node', devices: ['cpu'] });
console.log(
  `OCR of a ${images.length}-page PDF (the test set, a page per image at 72 dpi, ${(pdf.byteLength / 2 ** 20).toFixed(1)} MiB), pdf.js rendering in Node (@napi-rs/canvas), onnxruntime-node CPU, one page at a time\n`,
);
console.log('| dpi | render only, pages/s | render + OCR, pages/s | OCR share of the time | CER | lines exact |');
console.log('|---|---|---|---|---|---|');
// A first pass warms the pipeline and pdf.js up; it is not counted.
for await (const _ of ocrDocument(ocr, pdf, { pages: '1-3' }));
for (const { label, dpi, upsamplePictures } of settings) {
  let started = performance.now();
  const reader = await openPdf(pdf, { dpi, upsamplePictures });
  for await (const page of reader.pages()) if (page.error) throw page.error;
  await reader.close();
  const renderSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  let cer = 0;
  let exact = 0;
  let lines = 0;
  for await (const page of ocrDocument(ocr, pdf, { dpi, upsamplePictures })) {
    if (page.error) throw page.error;
    const want = truth[images[page.page - 1] as string] ?? [];
    const got = page.result.lines.map((l) => l.text);
    cer += characterErrorRate(got.join('\n'), want.join('\n'));
    exact += exactLinesInOrder(got, want);
    lines += want.length;
  }
  const totalSeconds = (performance.now() - started) / 1000;
  console.log(
    `| ${label} | ${(images.length / renderSeconds).toFixed(1)} | ${(images.length / totalSeconds).toFixed(2)} | ${((100 * (totalSeconds - renderSeconds)) / totalSeconds).toFixed(0)} % | ${((100 * cer) / images.length).toFixed(2)} % | ${((100 * exact) / lines).toFixed(1)} % |`,
  );
}
await ocr.dispose();
