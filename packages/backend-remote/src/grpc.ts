// Node only: the gRPC client (the main entry loads it lazily, so browsers never do).
export { GrpcV2Client, grpcAddress } from './grpc-v2-client.js';
