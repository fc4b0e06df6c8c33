export * from './live-source.js';
export * from './live-streams.js';
export * from './watch-source.js';
export * from './dashboard-page.js';
export * from './to-json.js';
export { Frame, type FrameType } from './frame.js';
export type { ClientStats, FrameSink, SnapshotSource, TableRow } from './client-stream.js';
export type { SharedTableStats } from './shared-table.js';
