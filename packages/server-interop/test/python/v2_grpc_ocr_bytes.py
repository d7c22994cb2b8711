"""An image sent as Triton's and KServe's Python clients send BYTES: in `bytes_contents`, not raw contents.

Usage: v2_grpc_ocr_bytes.py PROTO_PATH HOST:PORT IMAGE
Calls ModelInfer("ppocr") with the file's bytes as the one element of input "image"; prints the lines as JSON.
"""
import json
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc


def main() -> None:
    proto_path, address, image = sys.argv[1], sys.argv[2], sys.argv[3]
    out = tempfile.mkdtemp()
    proto_dir, proto_file = os.path.split(proto_path)
    if protoc.main(["protoc", f"-I{proto_dir}", f"--python_out={out}", f"--grpc_python_out={out}", proto_file]) != 0:
        raise SystemExit("protoc failed")
    sys.path.insert(0, out)
    import grpc_predict_v2_pb2 as pb
    import grpc_predict_v2_pb2_grpc as pb_grpc

    with open(image, "rb") as f:
        data = f.read()
    with grpc.insecure_channel(address) as channel:
        stub = pb_grpc.GRPCInferenceServiceStub(channel)
        request = pb.ModelInferRequest(model_name="ppocr")
        tensor = request.inputs.add()
        tensor.name, tensor.datatype = "image", "BYTES"
        tensor.shape.append(1)
        tensor.contents.bytes_contents.append(data)
        request.outputs.add().name = "text"
        response = stub.ModelInfer(request, timeout=60)
        raw = response.raw_output_contents[0]
        lines, offset = [], 0
        while offset < len(raw):
            length = int.from_bytes(raw[offset:offset + 4], "little")
            lines.append(raw[offset + 4:offset + 4 + length].decode("utf-8"))
            offset += 4 + length
    print(json.dumps({"lines": lines}))


main()
