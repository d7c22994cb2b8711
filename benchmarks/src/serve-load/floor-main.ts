// Child process of the load test: the floor for a Node v2 server. A bare node:http server that reads the binary
// tensor extension, calls onnxruntime-node directly and answers; no validation, queue, batching, metrics or checks
// of Host and Origin. `polyinfer serve` is measured against it with the same clients.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ort from 'onnxruntime-node';
import { PPOCR_V4_MODELS, resolveModelFile } from '@polyinfer/models';

const { model: id } = JSON.parse(process.argv[2] ?? '{}') as { model: string };
const descriptor = PPOCR_V4_MODELS.find((m) => m.id === id);
if (!descriptor) throw new Error(`unknown model ${id}`);
const session = await ort.InferenceSession.create(await resolveModelFile(descriptor.model));
const inputName = session.inputNames[0] as string;
const outputName = session.outputNames[0] as string;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    void (async () => {
      const body = Buffer.concat(chunks);
      const headerLength = Number(request.headers['inference-header-content-length']);
      const header = JSON.parse(body.subarray(0, headerLength).toString('utf8')) as { inputs: { shape: number[] }[] };
      const data = new Float32Array(
        body.buffer.slice(body.byteOffset + headerLength, body.byteOffset + body.byteLength),
      );
      const results = await session.run({
        [inputName]: new ort.Tensor('float32', data, (header.inputs[0] as { shape: number[] }).shape),
      });
      const output = results[outputName] as ort.Tensor;
      const bytes = Buffer.from(
        (output.data as Float32Array).buffer,
        (output.data as Float32Array).byteOffset,
        (output.data as Float32Array).byteLength,
      );
      const json = Buffer.from(
        JSON.stringify({
          model_name: id,
          outputs: [
            {
              name: outputName,
              datatype: 'FP32',
              shape: output.dims,
              parameters: { binary_data_size: bytes.byteLength },
            },
          ],
        }),
      );
      response
        .writeHead(200, {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': json.byteLength,
          'content-length': json.byteLength + bytes.byteLength,
        })
        .end(Buffer.concat([json, bytes]));
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`REST http://127.0.0.1:${(server.address() as AddressInfo).port}\n`),
);
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
