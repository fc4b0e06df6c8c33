export * from './dump.js';
