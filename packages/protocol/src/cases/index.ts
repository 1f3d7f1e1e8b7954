export * from './code.js';
export * from './crypto.js';
export * from './api.js';
