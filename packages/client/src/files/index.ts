export * from './types.js';
export * from './transfers.js';
export * from './bind.js';
export * from './memory.js';
export * from './browser.js';
export { RateMeter } from './rate.js';
export { formatBytes, formatTimeLeft } from './format.js';
