import type { Backend, DeviceStatus } from './backend.js';
import { DeviceUnavailableError } from './errors.js';
import { buildOnnxModel } from './onnx-model-builder.js';

let probeModel: Uint8Array | undefined;

/** The tiny graph (one Relu) a backend opens to find out whether a device works, without any user model. */
export function probeModelBytes(): Uint8Array {
  probeModel ??= buildOnnxModel({
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4] }],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
  });
  return probeModel;
}

/**
 * Answers `Backend.probe` by opening the probe model on the device once and remembering the answer (the reason
 * included), so `polyinfer backends` and fallback chains don't pay for it twice.
 */
export class DeviceProbes {
  readonly #results = new Map<string, Promise<DeviceStatus>>();

  constructor(private readonly backend: Pick<Backend, 'name' | 'devices' | 'createSession'>) {}

  probe(device: string): Promise<DeviceStatus> {
    let status = this.#results.get(device);
    if (!status) {
      status = this.#probe(device);
      this.#results.set(device, status);
    }
    return status;
  }

  async #probe(device: string): Promise<DeviceStatus> {
    if (!this.backend.devices.some((d) => d.name === device)) return { available: false, reason: `${this.backend.name} has no device "${device}"` };
    try {
      const session = await this.backend.createSession(probeModelBytes(), { device, modelName: 'probe model' });
      await session.dispose();
      return { available: true };
    } catch (error) {
      return { available: false, reason: error instanceof DeviceUnavailableError ? error.reason : error instanceof Error ? error.message : String(error) };
    }
  }
}
