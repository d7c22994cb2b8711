// Browser entry of `@polyinfer/core/platform`: no Node built-ins.
export type { Platform } from '../platform.js';
export { browserPlatform, currentPlatform } from './browser-platform.js';
