"""Parses a Triton config.pbtxt with Triton's own model_config.proto (compiled by grpc_tools) and prints it as JSON.

Usage: parse_triton_config.py MODEL_CONFIG_PROTO CONFIG_PBTXT
"""
import json
import os
import sys
import tempfile

from google.protobuf import json_format, text_format
from grpc_tools import protoc


def main() -> None:
    proto_path, config_path = sys.argv[1], sys.argv[2]
    out = tempfile.mkdtemp()
    proto_dir, proto_file = os.path.split(proto_path)
    if protoc.main(["protoc", f"-I{proto_dir}", f"--python_out={out}", proto_file]) != 0:
        raise SystemExit("protoc failed")
    sys.path.insert(0, out)
    import model_config_pb2

    with open(config_path, encoding="utf-8") as handle:
        config = text_format.Parse(handle.read(), model_config_pb2.ModelConfig())
    print(json.dumps(json_format.MessageToDict(config, preserving_proto_field_name=True)))


main()
