export * from './rtnetlink.js';
