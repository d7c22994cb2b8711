import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { decodeTensorProto } from '@polyinfer/conformance';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;
const encode = (fields: Record<string, unknown>): Uint8Array =>
  onnx.TensorProto.encode(onnx.TensorProto.create(fields)).finish();
const bytesOf = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

describe('TensorProto test data as polyinfer tensors', () => {
  it('reads raw_data of every width, little-endian and aligned', () => {
    const f64 = decodeTensorProto(
      encode({ name: 'x', dims: [2], dataType: T.DOUBLE, rawData: bytesOf(Float64Array.from([Math.PI, -1e300])) }),
    );
    expect(f64.held && [f64.tensor.dtype, [...f64.tensor.data]]).toEqual(['float64', [Math.PI, -1e300]]);
    const u64 = decodeTensorProto(
      encode({ dims: [1], dataType: T.UINT64, rawData: bytesOf(BigUint64Array.from([2n ** 64n - 1n])) }),
    );
    expect(u64.held && [...u64.tensor.data]).toEqual([2n ** 64n - 1n]);
    const i16 = decodeTensorProto(
      encode({ dims: [3], dataType: T.INT16, rawData: bytesOf(Int16Array.from([-32768, 5, 32767])) }),
    );
    expect(i16.held && [i16.tensor.dtype, [...i16.tensor.data]]).toEqual(['int16', [-32768, 5, 32767]]);
  });

  it('reads the typed fields when there is no raw_data: int32_data for narrow types and half bits, strings, uint64_data', () => {
    const half = decodeTensorProto(encode({ dims: [2], dataType: T.FLOAT16, int32Data: [0x3c00, 0xc000] }));
    expect(half.held && [half.tensor.dtype, [...half.tensor.data]]).toEqual(['float16', [0x3c00, 0xc000]]);
    const strings = decodeTensorProto(
      encode({ dims: [2], dataType: T.STRING, stringData: [new TextEncoder().encode('héllo'), new Uint8Array(0)] }),
    );
    expect(strings.held && strings.tensor.data).toEqual(['héllo', '']);
    const u32 = decodeTensorProto(encode({ dims: [1], dataType: T.UINT32, uint64Data: [4294967295] }));
    expect(u32.held && [...u32.tensor.data]).toEqual([4294967295]);
    const b = decodeTensorProto(encode({ dims: [3], dataType: T.BOOL, int32Data: [1, 0, 1] }));
    expect(b.held && [b.tensor.dtype, [...b.tensor.data]]).toEqual(['bool', [1, 0, 1]]);
  });

  it('unpacks int4 two to a byte, low nibble first, sign-extended', () => {
    const int4 = decodeTensorProto(encode({ dims: [3], dataType: 22, rawData: Uint8Array.from([0x78, 0x0f]) }));
    expect(int4.held && [int4.tensor.dtype, [...int4.tensor.data]]).toEqual(['int4', [-8, 7, -1]]);
  });

  it('names a type polyinfer has no tensor for instead of guessing', () => {
    expect(decodeTensorProto(encode({ name: 'q', dims: [1], dataType: 17, rawData: Uint8Array.from([1]) }))).toEqual({
      held: false,
      name: 'q',
      elementType: 'float8e4m3fn',
    });
  });
});
