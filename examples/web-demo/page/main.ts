import type { OcrResult, WorkerOcrPipeline } from '@polyinfer/models';
import { OCR_MODEL_MANIFEST, OcrWorkerClient } from '@polyinfer/models';
import type { ReadPage } from './pdf-pages.js';
import { readPdfPages } from './pdf-pages.js';

// OCR runs in a Web Worker (ocr.worker.ts): decoding, inference and decoding outputs never hold this thread, which
// only draws. Everything comes from the server the page was loaded from: the runtimes' .wasm, the models (listed
// with their sha256 in /models/ocr-models.json and kept in Cache Storage after the first visit), the samples.
const ocr = new OcrWorkerClient(new Worker(new URL('./ocr.worker.ts', import.meta.url), { type: 'module' }));

interface DeviceChoice {
  backend: string;
  device: string;
  label: string;
}
const CHOICES: DeviceChoice[] = [
  { backend: 'ort-web', device: 'webgpu', label: 'onnxruntime-web · WebGPU' },
  { backend: 'ort-web', device: 'wasm', label: 'onnxruntime-web · wasm (CPU)' },
  { backend: 'tfjs', device: 'webgpu', label: 'TensorFlow.js · WebGPU' },
  { backend: 'tfjs', device: 'webgl', label: 'TensorFlow.js · WebGL' },
  { backend: 'tfjs', device: 'wasm', label: 'TensorFlow.js · wasm (CPU)' },
];
/** The device chosen when the page opens: CPU, the one every browser has and the fastest here on small images. */
const PREFERRED = 'ort-web:wasm';

const $ = <T extends Element>(selector: string): T => document.querySelector(selector) as T;
const status = $<HTMLParagraphElement>('#status');
const setStatus = (text: string, state: 'idle' | 'busy' | 'done' | 'error'): void => {
  status.textContent = text;
  status.dataset.state = state;
};

const megabytes = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** Opens (once) the pipeline of a device in the worker, showing how far the model files have been read. */
const pipelines = new Map<string, Promise<WorkerOcrPipeline>>();
function pipelineFor(choice: DeviceChoice): Promise<WorkerOcrPipeline> {
  const key = `${choice.backend}:${choice.device}`;
  let pipeline = pipelines.get(key);
  if (!pipeline) {
    const loading = $<HTMLDivElement>('#loading');
    const bar = $<HTMLProgressElement>('#model-progress');
    const text = $<HTMLSpanElement>('#loading-text');
    loading.hidden = false;
    let cached = false;
    let total = 0;
    pipeline = ocr.open({
      backend: choice.backend,
      devices: [choice.device],
      strict: true,
      modelManifestUrl: `/models/${OCR_MODEL_MANIFEST}`,
      onModelProgress: (p) => {
        bar.value = p.totalBytes ? p.loadedBytes / p.totalBytes : 0;
        cached = p.cachedFiles === p.files;
        total = p.totalBytes;
        text.textContent = `loading models ${megabytes(p.loadedBytes)} / ${megabytes(p.totalBytes)} MB`;
      },
    });
    void pipeline.then(
      () => (text.textContent = `models loaded (${megabytes(total)} MB${cached ? ', from the cache' : ''})`),
      () => pipelines.delete(key),
    );
    pipelines.set(key, pipeline);
  }
  return pipeline;
}

let selected: DeviceChoice | undefined;

async function renderDevices(): Promise<void> {
  const box = $<HTMLFieldSetElement>('#devices');
  for (const choice of CHOICES) {
    const probe = await ocr.probe(choice.backend, choice.device);
    const label = document.createElement('label');
    label.className = `device ${probe.available ? 'available' : 'unavailable'}`;
    label.dataset.device = `${choice.backend}:${choice.device}`;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'device';
    input.disabled = !probe.available;
    input.addEventListener('change', () => {
      selected = choice;
      // Sessions are created while the user picks an image, not after.
      pipelineFor(choice).catch(() => undefined);
    });
    label.append(input, ` ${choice.label}`);
    if (!probe.available) {
      const reason = document.createElement('span');
      reason.className = 'reason';
      reason.textContent = `unavailable: ${probe.reason}`;
      label.append(reason);
    }
    box.append(label);
    if (probe.available && (!selected || `${choice.backend}:${choice.device}` === PREFERRED)) {
      input.checked = true;
      selected = choice;
    }
  }
}

function showResult(result: OcrResult, pipeline: WorkerOcrPipeline): void {
  const svg = $<SVGSVGElement>('#boxes');
  svg.setAttribute('viewBox', `0 0 ${result.width} ${result.height}`);
  svg.innerHTML = result.lines
    .map((l) => `<polygon points="${l.box.map(([x, y]) => `${x},${y}`).join(' ')}"></polygon>`)
    .join('');
  const list = $<HTMLOListElement>('#lines');
  list.replaceChildren(
    ...result.lines.map((l) => {
      const item = document.createElement('li');
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = l.text;
      const confidence = document.createElement('span');
      confidence.className = 'confidence';
      confidence.textContent = `${(l.confidence * 100).toFixed(1)} %`;
      item.append(text, confidence);
      return item;
    }),
  );
  const t = result.timings;
  const rows: [string, number][] = [
    ['decode image', t.decode],
    ['preprocess (det + lines)', t.detection.preprocess + t.classification.preprocess + t.recognition.preprocess],
    ['detection', t.detection.inference],
    ['angle', t.classification.inference],
    ['recognition', t.recognition.inference],
    ['decode outputs', t.detection.decode + t.classification.decode + t.recognition.decode],
    ['total', t.total],
  ];
  $<HTMLTableElement>('#timings').tBodies[0]?.replaceChildren(
    ...rows.map(([name, ms]) => {
      const row = document.createElement('tr');
      row.innerHTML = `<td>${name}</td><td>${ms.toFixed(1)} ms</td>`;
      return row;
    }),
  );
  const s = pipeline.stages;
  $<HTMLParagraphElement>('#device-used').textContent =
    `ran on ${s.det.backend}:${s.det.device} (det), ${s.cls?.device ?? '—'} (angle), ${s.rec.device} (rec)`;
}

/** The pages of the PDF last opened, each shown by its button once read. */
function showPage(page: ReadPage, pipeline: WorkerOcrPipeline): void {
  document
    .querySelectorAll<HTMLButtonElement>('#pages button')
    .forEach((button) => button.setAttribute('aria-pressed', String(button.dataset.page === String(page.page))));
  if (page.previewUrl) $<HTMLImageElement>('#image').src = page.previewUrl;
  if (page.result) showResult(page.result, pipeline);
  else {
    $<SVGSVGElement>('#boxes').innerHTML = '';
    $<HTMLOListElement>('#lines').replaceChildren();
  }
}

async function runPdf(file: File): Promise<void> {
  if (!selected) return setStatus('no device is available in this browser', 'error');
  const nav = $<HTMLElement>('#pages');
  nav.replaceChildren();
  nav.hidden = false;
  $<SVGSVGElement>('#boxes').innerHTML = '';
  try {
    setStatus(`preparing ${selected.label}…`, 'busy');
    const pipeline = await pipelineFor(selected);
    setStatus(`reading ${file.name}…`, 'busy');
    let failed = 0;
    const pages = await readPdfPages(file, pipeline, (page) => {
      const button = document.createElement('button');
      button.dataset.page = String(page.page);
      button.textContent = `page ${page.page}${page.error ? ' ✗' : ''}`;
      if (page.error) {
        failed++;
        button.title = page.error;
      }
      button.addEventListener('click', () => showPage(page, pipeline));
      nav.append(button);
      if (page.page === 1 || nav.children.length === 1) showPage(page, pipeline);
      setStatus(`reading ${file.name}: page ${page.page} read…`, 'busy');
    });
    setStatus(`done: ${pages} page${pages === 1 ? '' : 's'} read${failed ? `, ${failed} failed` : ''}`, 'done');
  } catch (error) {
    setStatus(`${(error as Error).name}: ${(error as Error).message}`, 'error');
  }
}

async function runOcr(input: string | Blob, previewUrl: string): Promise<void> {
  if (!selected) return setStatus('no device is available in this browser', 'error');
  const image = $<HTMLImageElement>('#image');
  image.src = previewUrl;
  $<SVGSVGElement>('#boxes').innerHTML = '';
  $<HTMLElement>('#pages').hidden = true;
  try {
    setStatus(`preparing ${selected.label}…`, 'busy');
    const pipeline = await pipelineFor(selected);
    setStatus('reading…', 'busy');
    const result = await pipeline.run(input);
    showResult(result, pipeline);
    setStatus(`done: ${result.lines.length} lines in ${result.timings.total.toFixed(0)} ms`, 'done');
  } catch (error) {
    setStatus(`${(error as Error).name}: ${(error as Error).message}`, 'error');
  }
}

async function main(): Promise<void> {
  await renderDevices();
  // Warm start: the default device's models load and its sessions open while the user picks an image.
  if (selected) pipelineFor(selected).catch(() => undefined);
  const samples = Object.keys((await (await fetch('/samples/ground-truth.json')).json()) as Record<string, string[]>);
  $<HTMLDivElement>('#samples').append(
    ...samples.map((name) => {
      const button = document.createElement('button');
      button.textContent = name.replace('.png', '');
      button.dataset.sample = name;
      button.addEventListener('click', () => void runOcr(`/samples/${name}`, `/samples/${name}`));
      return button;
    }),
  );
  const openFile = (file: File | undefined): void => {
    if (!file) return;
    // A PDF is read page by page (pdf.js renders each page here); anything else is an image.
    if (file.type === 'application/pdf' || /\.pdf$/i.test(file.name)) void runPdf(file);
    else void runOcr(file, URL.createObjectURL(file));
  };
  $<HTMLInputElement>('#file').addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    openFile(input.files?.[0]);
    // Emptied, so that choosing the same file again opens it again.
    input.value = '';
  });
  const drop = $<HTMLLabelElement>('#drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    openFile(e.dataTransfer?.files[0]);
  });
  setStatus('ready: pick a sample or drop an image or a PDF', 'idle');
}

void main().catch((error: Error) => setStatus(`${error.name}: ${error.message}`, 'error'));
