export * from './fake-kernel.js';
export * from './messages.js';
export * from './route-dump.js';
export type { KernelErrorDetails } from '../errors.js';
