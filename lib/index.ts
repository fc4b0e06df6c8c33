export * from './errors.js';
export * from './codec/align.js';
export * from './codec/header.js';
export * from './codec/attributes.js';
export type { Batch, Transport } from './transport/transport.js';
export { NetlinkSocket, type SocketOptions } from './transport/netlink-socket.js';
export * from './rx/index.js';
export * from './route/index.js';
export * from './live/index.js';
