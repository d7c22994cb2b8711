import type { DeviceInfo } from '@polyinfer/core';
import { ORT_NODE_BACKEND, ORT_NODE_DEVICES } from '@polyinfer/backend-ort-node/base';
import { ORT_WEB_BACKEND, ORT_WEB_DEVICES } from '@polyinfer/backend-ort-web/base';
import { TFJS_BACKEND, TFJS_DEVICES } from '@polyinfer/backend-tfjs/base';
import type { CellEnvironment } from './cell.js';

export interface Target {
  backend: string;
  device: string;
  environment: CellEnvironment;
}

/** The device tables the backends declare: what they are is theirs to say, not the harness's. */
const BACKEND_DEVICES: readonly (readonly [string, readonly DeviceInfo[]])[] = [
  [ORT_NODE_BACKEND, ORT_NODE_DEVICES],
  [ORT_WEB_BACKEND, ORT_WEB_DEVICES],
  [TFJS_BACKEND, TFJS_DEVICES],
];

/** Every backend:device polyinfer has, in each environment it can exist in: Node, then Chromium. Unavailable ones are reported, not dropped. */
export const ALL_TARGETS: readonly Target[] = (['node', 'browser'] as const).flatMap((environment) =>
  BACKEND_DEVICES.flatMap(([backend, devices]) =>
    devices
      .filter((d) => (d.environments ?? ['node', 'browser']).includes(environment))
      .map((d): Target => ({ backend, device: d.name, environment: environment === 'node' ? 'node' : 'chromium' })),
  ),
);

export const REFERENCE: Target = { backend: ORT_NODE_BACKEND, device: 'cpu', environment: 'node' };

export const targetName = (t: Target): string => `${t.backend}:${t.device}${t.environment === 'chromium' ? ' (chromium)' : ''}`;
