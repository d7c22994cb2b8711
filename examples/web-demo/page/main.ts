import type { ModelSource } from '@polyinfer/core';
import { createRegistry } from '@polyinfer/core';
import { registerOrtWebBackend } from '@polyinfer/backend-ort-web';
import { registerTfjsBackend } from '@polyinfer/backend-tfjs';
import type { OcrPipeline, OcrResult } from '@polyinfer/models';
import { createOcrPipelineFrom, parseDictionary, PPOCR_MOBILE_V2_CLS, PPOCR_V4_DET, PPOCR_V4_REC } from '@polyinfer/models';
import type { ImageInput } from '@polyinfer/preprocess';

// Everything this page loads comes from the server it was loaded from: the runtime's .wasm (/ort/), the models
// (/models/), the samples (/samples/); tfjs' .wasm (/tfjs/).
const registry = createRegistry();
registerOrtWebBackend(registry, { wasmPaths: '/ort/', numThreads: Math.min(4, navigator.hardwareConcurrency || 2) });
// TensorFlow.js runs the same ONNX files through polyinfer's importer (its wasm files are served at /tfjs/).
registerTfjsBackend(registry);

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

const $ = <T extends Element>(selector: string): T => document.querySelector(selector) as T;
const status = $<HTMLParagraphElement>('#status');
const setStatus = (text: string, state: 'idle' | 'busy' | 'done' | 'error'): void => {
  status.textContent = text;
  status.dataset.state = state;
};

const fileName = (descriptor: typeof PPOCR_V4_DET): string => (descriptor.model.source as { path: string }).path.split('/').pop() as string;
const MODEL_FILES = [fileName(PPOCR_V4_DET), fileName(PPOCR_MOBILE_V2_CLS), fileName(PPOCR_V4_REC)];
const DICTIONARY = (PPOCR_V4_REC.assets?.dictionary?.source as { path: string }).path.split('/').pop() as string;

/** Fetches the model files once, showing progress (bytes read of the total). */
let modelBytes: Promise<Uint8Array[]> | undefined;
function loadModels(): Promise<Uint8Array[]> {
  modelBytes ??= (async () => {
    const loading = $<HTMLDivElement>('#loading');
    const bar = $<HTMLProgressElement>('#model-progress');
    const text = $<HTMLSpanElement>('#loading-text');
    loading.hidden = false;
    const responses = await Promise.all(MODEL_FILES.map((f) => fetch(`/models/${f}`)));
    const total = responses.reduce((sum, r) => sum + Number(r.headers.get('content-length') ?? 0), 0);
    let read = 0;
    const files = await Promise.all(
      responses.map(async (response) => {
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const chunks: Uint8Array[] = [];
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          read += value.byteLength;
          bar.value = total ? read / total : 0;
          text.textContent = `loading models ${(read / 2 ** 20).toFixed(1)} / ${(total / 2 ** 20).toFixed(1)} MB`;
        }
        const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
        let offset = 0;
        for (const c of chunks) {
          bytes.set(c, offset);
          offset += c.byteLength;
        }
        return bytes;
      }),
    );
    text.textContent = `models loaded (${(total / 2 ** 20).toFixed(1)} MB)`;
    return files;
  })();
  return modelBytes;
}

const pipelines = new Map<string, Promise<OcrPipeline>>();
function pipelineFor(choice: DeviceChoice): Promise<OcrPipeline> {
  const key = `${choice.backend}:${choice.device}`;
  let pipeline = pipelines.get(key);
  if (!pipeline) {
    pipeline = (async () => {
      const [det, cls, rec] = (await loadModels()) as [ModelSource, ModelSource, ModelSource];
      const dictionary = parseDictionary(await (await fetch(`/models/${DICTIONARY}`)).text());
      return createOcrPipelineFrom({ det, cls, rec, dictionary }, { registry, backend: choice.backend, devices: [choice.device], strict: true });
    })();
    pipeline.catch(() => pipelines.delete(key));
    pipelines.set(key, pipeline);
  }
  return pipeline;
}

let selected: DeviceChoice | undefined;

async function renderDevices(): Promise<void> {
  const box = $<HTMLFieldSetElement>('#devices');
  for (const choice of CHOICES) {
    const backend = await registry.get(choice.backend);
    const probe = await backend.probe(choice.device);
    const label = document.createElement('label');
    label.className = `device ${probe.available ? 'available' : 'unavailable'}`;
    label.dataset.device = `${choice.backend}:${choice.device}`;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'device';
    input.disabled = !probe.available;
    input.addEventListener('change', () => (selected = choice));
    label.append(input, ` ${choice.label}`);
    if (!probe.available) {
      const reason = document.createElement('span');
      reason.className = 'reason';
      reason.textContent = `unavailable: ${probe.reason}`;
      label.append(reason);
    } else if (!selected) {
      input.checked = true;
      selected = choice;
    }
    box.append(label);
  }
}

function showResult(result: OcrResult, pipeline: OcrPipeline): void {
  const svg = $<SVGSVGElement>('#boxes');
  svg.setAttribute('viewBox', `0 0 ${result.width} ${result.height}`);
  svg.innerHTML = result.lines.map((l) => `<polygon points="${l.box.map(([x, y]) => `${x},${y}`).join(' ')}"></polygon>`).join('');
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
  $<HTMLParagraphElement>('#device-used').textContent = `ran on ${s.det.backend}:${s.det.device} (det), ${s.cls?.device ?? '—'} (angle), ${s.rec.device} (rec)`;
}

async function runOcr(input: ImageInput, previewUrl: string): Promise<void> {
  if (!selected) return setStatus('no device is available in this browser', 'error');
  const image = $<HTMLImageElement>('#image');
  image.src = previewUrl;
  $<SVGSVGElement>('#boxes').innerHTML = '';
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
    if (file) void runOcr(file, URL.createObjectURL(file));
  };
  $<HTMLInputElement>('#file').addEventListener('change', (e) => openFile((e.target as HTMLInputElement).files?.[0]));
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
  setStatus('ready: pick a sample or drop an image', 'idle');
}

void main().catch((error: Error) => setStatus(`${error.name}: ${error.message}`, 'error'));
