// Node only: the official .proto, its loader, and the gRPC message shapes.
export type {
  GrpcInferRequest,
  GrpcInferResponse,
  GrpcInferTensor,
  GrpcServiceClientConstructor,
} from './grpc-v2-service.js';
export {
  grpcSourceOf,
  NOT_RUN_METADATA_KEY,
  V2_PROTO_PATH,
  v2GrpcPackage,
  v2ServiceClient,
} from './grpc-v2-service.js';
