export * from './errors.js';
export * from './transport.js';
export * from './connection.js';
export * from './secure-session.js';
export * from './customer.js';
export * from './technician.js';
export * from './api.js';
export { Emitter } from './emitter.js';
export type { KeyLog } from './handshake.js';
