"""An independent Open Inference Protocol client: Debian's grpcio, the official proto compiled by grpc_tools.

Usage: v2_grpc_client.py PROTO_PATH HOST:PORT
Calls ServerLive, ModelMetadata("add") and ModelInfer("add") with raw_input_contents; prints one JSON object.
"""
import json
import os
import struct
import sys
import tempfile

import grpc
from grpc_tools import protoc


def main() -> None:
    proto_path, address = sys.argv[1], sys.argv[2]
    out = tempfile.mkdtemp()
    proto_dir, proto_file = os.path.split(proto_path)
    if protoc.main(["protoc", f"-I{proto_dir}", f"--python_out={out}", f"--grpc_python_out={out}", proto_file]) != 0:
        raise SystemExit("protoc failed")
    sys.path.insert(0, out)
    import grpc_predict_v2_pb2 as pb
    import grpc_predict_v2_pb2_grpc as pb_grpc

    with grpc.insecure_channel(address) as channel:
        stub = pb_grpc.GRPCInferenceServiceStub(channel)
        live = stub.ServerLive(pb.ServerLiveRequest(), timeout=30).live
        meta = stub.ModelMetadata(pb.ModelMetadataRequest(name="add"), timeout=30)
        request = pb.ModelInferRequest(model_name="add", id="py-1")
        for name in ("a", "b"):
            tensor = request.inputs.add()
            tensor.name, tensor.datatype = name, "FP32"
            tensor.shape.extend([2, 3])
        request.raw_input_contents.append(struct.pack("<6f", 1, 2, 3, 4, 5, 6))
        request.raw_input_contents.append(struct.pack("<6f", 10, 20, 30, 40, 50, 60))
        response = stub.ModelInfer(request, timeout=30)
        output = response.outputs[0]
        values = list(struct.unpack(f"<{len(response.raw_output_contents[0]) // 4}f", response.raw_output_contents[0]))
        try:
            stub.ModelInfer(pb.ModelInferRequest(model_name="nope"), timeout=30)
            missing = "no error"
        except grpc.RpcError as error:
            missing = error.code().name
    print(json.dumps({
        "live": live,
        "inputs": [[t.name, t.datatype, list(t.shape)] for t in meta.inputs],
        "id": response.id,
        "output": [output.name, output.datatype, list(output.shape)],
        "values": values,
        "missing_model": missing,
    }))


main()
