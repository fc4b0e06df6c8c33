export * from './fleet-connection.js';
export * from './fleet-error.js';
export * from './fleet-key.js';
export * from './fleet-source.js';
export * from './fleet-value.js';
export * from './publish-fleet.js';
