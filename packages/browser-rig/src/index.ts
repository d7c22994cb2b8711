export { startRig, floatsOfBase64 } from './rig.js';
export type { Rig } from './rig.js';
export { startRigServer } from './rig-server.js';
export type { RigServer, RigServerOptions } from './rig-server.js';
export { ChromiumNotFoundError, DEFAULT_CHROMIUM, launchChromium } from './launch-chromium.js';
export type { LaunchOptions } from './launch-chromium.js';
export type {
  PageCaseResult,
  PageCaseSpec,
  PageCellResult,
  PageCellSpec,
  PageEnvironment,
  RigWindow,
} from './page-types.js';
export { tensorFromWire, tensorToWire } from './wire-tensor.js';
export type { WireTensor } from './wire-tensor.js';
