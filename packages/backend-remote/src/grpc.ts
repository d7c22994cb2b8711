// Node only: the gRPC client and the service definition (the main entry loads them lazily, so browsers never do).
export { GrpcV2Client, grpcAddress } from './grpc-v2-client.js';
export type { GrpcInferRequest, GrpcInferResponse, GrpcInferTensor } from './grpc-v2-service.js';
export { grpcContentsOf, V2_PROTO_PATH, v2GrpcPackage, v2ServiceClient } from './grpc-v2-service.js';
