export { startRig, floatsOfBase64 } from './rig.js';
export type { Rig } from './rig.js';
export { startRigServer } from './rig-server.js';
export type { RigServer, RigServerOptions } from './rig-server.js';
export { ChromiumNotFoundError, DEFAULT_CHROMIUM, launchChromium } from './launch-chromium.js';
export type { LaunchOptions } from './launch-chromium.js';
export type { PageCellResult, PageCellSpec, PageEnvironment, RigWindow } from './page-types.js';
