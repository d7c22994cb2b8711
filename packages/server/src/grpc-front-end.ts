import * as grpc from '@grpc/grpc-js';
import type { GrpcInferRequest, GrpcInferResponse } from '@polyinfer/backend-remote/grpc';
import { encodeBytesElements, tensorToBytes } from '@polyinfer/backend-remote';
import { grpcContentsOf, v2ServiceClient } from '@polyinfer/backend-remote/grpc';
import type { InferenceServer } from './inference-server.js';
import type { WireTensor } from './served-model.js';
import { wireTensorFrom } from './wire-codec.js';
import { grpcStatusOf, messageOf, ServerError } from './server-errors.js';

type Handler = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

function inputsOf(request: GrpcInferRequest): WireTensor[] {
  const raw = request.raw_input_contents ?? [];
  if (raw.length > 0 && raw.length !== request.inputs.length) {
    throw new ServerError('BAD_REQUEST', `raw_input_contents has ${raw.length} entries for ${request.inputs.length} inputs`);
  }
  return request.inputs.map((input, i) => {
    const bytes = raw[i];
    return wireTensorFrom(input.name, input.datatype, input.shape, bytes !== undefined ? { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) } : { json: grpcContentsOf(input) });
  });
}

/** The gRPC front end: `inference.GRPCInferenceService` from the official proto, tensors in raw contents. */
export function createGrpcFrontEnd(server: InferenceServer, options: { maxBodyBytes: number }): grpc.Server {
  const grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': options.maxBodyBytes, 'grpc.max_send_message_length': 256 * 1024 * 1024 });
  const unary =
    (authorized: boolean, body: (request: Record<string, unknown>) => unknown | Promise<unknown>): Handler =>
    (call, callback) => {
      Promise.resolve()
        .then(() => {
          if (authorized) server.authorize(call.metadata.get('authorization')[0]?.toString());
          return body(call.request as Record<string, unknown>);
        })
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback({ code: grpcStatusOf(error), details: messageOf(error) }),
        );
    };
  const version = (request: Record<string, unknown>): string | undefined => (request.version as string) || undefined;
  grpcServer.addService(v2ServiceClient().service, {
    ServerLive: unary(false, () => ({ live: true })),
    ServerReady: unary(false, () => ({ ready: server.accepting })),
    ModelReady: unary(true, (r) => {
      server.scheduler(r.name as string, version(r));
      return { ready: server.accepting };
    }),
    ServerMetadata: unary(true, () => server.serverMetadata()),
    ModelMetadata: unary(true, (r) => server.modelMetadata(r.name as string, version(r))),
    ModelInfer: unary(true, async (r) => {
      const request = r as unknown as GrpcInferRequest;
      const name = request.model_name;
      server.scheduler(name, request.model_version || undefined);
      const requested = request.outputs.map((o) => o.name);
      const outputs = await server.infer(name, request.model_version || undefined, inputsOf(request), requested.length > 0 ? requested : undefined);
      const response: GrpcInferResponse = {
        model_name: name,
        model_version: server.scheduler(name).model.version,
        id: request.id,
        outputs: outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape })),
        raw_output_contents: outputs.map((o) => {
          const bytes = 'tensor' in o ? tensorToBytes(o.tensor) : encodeBytesElements(o.elements);
          return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        }),
      };
      return response;
    }),
  });
  return grpcServer;
}
