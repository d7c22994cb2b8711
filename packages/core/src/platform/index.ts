// Node entry of `@polyinfer/core/platform`; browsers get `index.browser.ts` through the export conditions.
export type { Platform } from '../platform.js';
export { browserPlatform } from './browser-platform.js';
export { currentPlatform, nodePlatform } from './node-platform.js';
