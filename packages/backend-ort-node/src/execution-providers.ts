import type { DeviceInfo } from '@polyinfer/core';

export type OrtNodeDevice = 'cpu' | 'cuda' | 'tensorrt' | 'coreml' | 'dml' | 'webgpu';

export const ORT_NODE_DEVICES: readonly DeviceInfo[] = [
  { name: 'cpu', description: 'CPU execution provider (bundled)', environments: ['node'] },
  {
    name: 'cuda',
    description: 'CUDA execution provider (NVIDIA GPU; provider libraries installed separately)',
    environments: ['node'],
  },
  {
    name: 'tensorrt',
    description:
      'TensorRT execution provider, nodes it cannot take run on CUDA (provider libraries installed separately)',
    environments: ['node'],
  },
  {
    name: 'coreml',
    description:
      'Core ML execution provider (macOS: Apple Neural Engine, GPU or CPU; in the macOS build of onnxruntime-node)',
    environments: ['node'],
  },
  {
    name: 'dml',
    description: 'DirectML execution provider (Windows: any DirectX 12 GPU; in the Windows build of onnxruntime-node)',
    environments: ['node'],
  },
  {
    name: 'webgpu',
    experimental: true,
    description: "onnxruntime-node's bundled WebGPU (Dawn) execution provider",
    environments: ['node'],
  },
];

/** The operating system a device's execution provider exists on, for those that exist on one only. */
const DEVICE_PLATFORMS: Partial<Record<OrtNodeDevice, { platform: NodeJS.Platform; api: string; os: string }>> = {
  coreml: { platform: 'darwin', api: 'Core ML', os: 'macOS' },
  dml: { platform: 'win32', api: 'DirectML', os: 'Windows' },
};

/** Why a device cannot exist on this operating system at all (undefined where it can). */
export function platformMissing(device: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const needs = DEVICE_PLATFORMS[device as OrtNodeDevice];
  if (!needs || needs.platform === platform) return undefined;
  return `${needs.api} exists only on ${needs.os} (this machine runs ${platform}); onnxruntime-node's ${needs.os} build carries its ${device} execution provider`;
}

/** Options per device, typed like onnxruntime's own ExecutionProviderOption map. */
export interface OrtNodeDeviceOptions {
  /** GPU ordinal for cuda, tensorrt and dml. */
  deviceId?: number;
}

export type OrtExecutionProvider = string | { name: string; deviceId?: number };

/**
 * Device → execution providers, in one table. onnxruntime always appends its CPU provider for nodes the others
 * cannot take; tensorrt lists cuda next so that such nodes stay on the GPU.
 */
export function executionProvidersFor(
  device: OrtNodeDevice,
  options: OrtNodeDeviceOptions = {},
): OrtExecutionProvider[] {
  const gpu = options.deviceId === undefined ? {} : { deviceId: options.deviceId };
  switch (device) {
    case 'cpu':
      return ['cpu'];
    case 'cuda':
      return [{ name: 'cuda', ...gpu }];
    case 'tensorrt':
      return [
        { name: 'tensorrt', ...gpu },
        { name: 'cuda', ...gpu },
      ];
    case 'coreml':
      return ['coreml'];
    case 'dml':
      return [{ name: 'dml', ...gpu }];
    case 'webgpu':
      return ['webgpu'];
  }
}

/** The shared libraries a device needs beside onnxruntime-node's binding (not shipped in the npm package). */
export function providerLibrariesFor(device: OrtNodeDevice, platform: NodeJS.Platform = process.platform): string[] {
  const lib = (name: string): string =>
    platform === 'win32' ? `onnxruntime_providers_${name}.dll` : `libonnxruntime_providers_${name}.so`;
  switch (device) {
    case 'cuda':
      return [lib('shared'), lib('cuda')];
    case 'tensorrt':
      return [lib('shared'), lib('cuda'), lib('tensorrt')];
    default:
      return [];
  }
}

/** Where a Linux dynamic loader looks for libraries (the common multiarch folders, and LD_LIBRARY_PATH). */
function linuxLibraryDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  return [
    ...fromEnv,
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib/x86_64-linux-gnu',
    '/lib64',
    '/lib',
    '/usr/local/lib',
  ];
}

/**
 * Why onnxruntime-node's WebGPU (Dawn) cannot find a GPU API here, found without loading Dawn (which prints its own
 * warning to the terminal when the Vulkan loader is missing). Linux only; elsewhere Dawn is asked.
 */
export function webgpuLoaderMissing(
  exists: (path: string) => boolean,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (platform !== 'linux') return undefined;
  const found = linuxLibraryDirs(env).some((dir) => exists(`${dir}/libvulkan.so.1`));
  return found
    ? undefined
    : "no Vulkan loader (libvulkan.so.1) on this machine: onnxruntime-node's WebGPU (Dawn) runs on Vulkan here (install libvulkan1 and a GPU driver)";
}
