import * as grpc from '@grpc/grpc-js';
import type { DeclaredInput, WireTensor } from '@polyinfer/v2-protocol';
import { declareInput, encodeBytesElements, tensorToBytes } from '@polyinfer/v2-protocol';
import type { GrpcInferRequest, GrpcInferResponse } from '@polyinfer/v2-protocol/grpc';
import { grpcSourceOf, NOT_RUN_METADATA_KEY, v2ServiceClient } from '@polyinfer/v2-protocol/grpc';
import type { InferenceServer } from './inference-server.js';
import type { TlsFiles } from './http-front-end.js';
import { asCallerError } from './caller-error.js';
import { ClientPresence } from './client-presence.js';
import { grpcStatusOf, httpStatusOf, publicMessageOf, ServerError } from './server-errors.js';

type Handler = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

function declaredInputsOf(request: GrpcInferRequest): DeclaredInput[] {
  const raw = request.raw_input_contents ?? [];
  if (raw.length > 0 && raw.length !== request.inputs.length) {
    throw new ServerError(
      'BAD_REQUEST',
      `raw_input_contents has ${raw.length} entries for ${request.inputs.length} inputs`,
    );
  }
  return request.inputs.map((input, i) =>
    declareInput(input.name, input.datatype, input.shape, grpcSourceOf(input, raw[i])),
  );
}

function responseOf(name: string, version: string, id: string, outputs: readonly WireTensor[]): GrpcInferResponse {
  return {
    model_name: name,
    model_version: version,
    id,
    outputs: outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape })),
    raw_output_contents: outputs.map((o) => {
      const bytes = 'tensor' in o ? tensorToBytes(o.tensor) : encodeBytesElements(o.elements);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }),
  };
}

/** gRPC server credentials: TLS with the given certificate and key, else plaintext. */
export function grpcServerCredentials(tls: TlsFiles | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(
    null,
    [{ cert_chain: Buffer.from(tls.cert), private_key: Buffer.from(tls.key) }],
    false,
  );
}

/**
 * The gRPC front end: `inference.GRPCInferenceService` from the official proto, tensors in raw contents, BYTES in
 * `bytes_contents` as bytes. ModelInfer's message arrives as bytes and is parsed only after the token is checked;
 * a call the client cancels before it runs leaves the queue.
 */
export function createGrpcFrontEnd(server: InferenceServer): grpc.Server {
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': server.maxRequestBytes,
    'grpc.max_send_message_length': 256 * 1024 * 1024,
  });
  const service = v2ServiceClient().service;
  const inferMethod = service.ModelInfer as grpc.MethodDefinition<GrpcInferRequest, GrpcInferResponse>;
  const parseInfer = inferMethod.requestDeserialize;
  const definition: grpc.ServiceDefinition = {
    ...service,
    ModelInfer: { ...inferMethod, requestDeserialize: (bytes: Buffer) => bytes },
  };

  const fail = (callback: grpc.sendUnaryData<unknown>, requestId: string, method: string, error: unknown): void => {
    const status = httpStatusOf(error);
    if (status >= 500 && status !== 503) server.logInternal(requestId, `gRPC ${method}`, error);
    const metadata = new grpc.Metadata();
    if (error instanceof ServerError && error.notRun) metadata.set(NOT_RUN_METADATA_KEY, '1');
    callback({ code: grpcStatusOf(error), details: publicMessageOf(error, requestId), metadata });
  };
  const unary =
    (method: string, authorized: boolean, body: (request: Record<string, unknown>) => unknown): Handler =>
    (call, callback) => {
      const requestId = server.newRequestId();
      Promise.resolve()
        .then(() => {
          if (authorized) server.authorize(call.metadata.get('authorization')[0]?.toString());
          return body(call.request as Record<string, unknown>);
        })
        .then(
          (response) => callback(null, response),
          (error: unknown) => fail(callback, requestId, method, error),
        );
    };
  const version = (request: Record<string, unknown>): string | undefined => (request.version as string) || undefined;
  const modelInfer: Handler = (call, callback) => {
    const requestId = server.newRequestId();
    const presence = new ClientPresence();
    call.once('cancelled', () => presence.leave());
    const run = async (): Promise<GrpcInferResponse> => {
      server.authorize(call.metadata.get('authorization')[0]?.toString());
      const bytes = call.request as Buffer;
      const release = server.reserveBytes(bytes.byteLength);
      try {
        let request: GrpcInferRequest;
        try {
          request = parseInfer(bytes);
        } catch (error) {
          throw new ServerError('BAD_REQUEST', `the ModelInfer message does not parse: ${(error as Error).message}`);
        }
        const name = request.model_name;
        const versionAsked = request.model_version || undefined;
        const limit = server.requestLimit(name, versionAsked);
        if (bytes.byteLength > limit)
          throw new ServerError(
            'PAYLOAD_TOO_LARGE',
            `the message is ${bytes.byteLength} bytes; the limit for model ${name} is ${limit}`,
            { limit },
          );
        const inputs = asCallerError(() => declaredInputsOf(request));
        const requested = request.outputs.map((o) => o.name);
        const outputs = await server.infer(
          name,
          versionAsked,
          inputs,
          requested.length > 0 ? requested : undefined,
          presence,
        );
        return responseOf(name, server.scheduler(name).model.version, request.id, outputs);
      } finally {
        release();
      }
    };
    run().then(
      (response) => callback(null, response),
      (error: unknown) => fail(callback, requestId, 'ModelInfer', error),
    );
  };
  grpcServer.addService(definition, {
    ServerLive: unary('ServerLive', false, () => ({ live: true })),
    ServerReady: unary('ServerReady', false, () => ({ ready: server.ready })),
    ModelReady: unary('ModelReady', true, (r) => {
      server.scheduler(r.name as string, version(r));
      return { ready: server.ready };
    }),
    ServerMetadata: unary('ServerMetadata', true, () => server.serverMetadata()),
    ModelMetadata: unary('ModelMetadata', true, (r) => server.modelMetadata(r.name as string, version(r))),
    ModelInfer: modelInfer,
  });
  return grpcServer;
}
