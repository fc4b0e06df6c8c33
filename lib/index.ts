/**
 * netlink-rx: what an application uses. The clients and typed dumps, the
 * generic dump engine and its operators, live tables, errors, and the
 * transport seam. Kernel constants are under `netlink-rx/constants`, the
 * codec (headers, attributes, family descriptions and decoders) under
 * `netlink-rx/codec`, the UI backend under `netlink-rx/ui`, the scripted fake
 * kernel under `netlink-rx/testing`.
 */

// Errors.
export {
  NetlinkError, NetlinkSyscallError, NetlinkKernelError, NetlinkDecodeError, DumpInterruptedError, errnoName,
} from './errors.js';

// The per-namespace clients.
export { rtnetlink, type RtnetlinkClient, type RtnetlinkOptions } from './client/rtnetlink.js';
export {
  genl, type GenlClient, type GenlOptions, type GenlDumpOptions, type GenlFamilyClient,
} from './client/genl.js';
export { sockdiag, type SockdiagClient } from './client/sockdiag.js';
export { ethtool, type EthtoolClient } from './client/ethtool.js';

// Typed dumps and their objects.
export { links } from './route/link.js';
export type { Link, LinkFilter } from './route/link-decode.js';
export type { LinkInfo, BridgeInfo, BridgePortInfo, LinkStats64 } from './route/link-info.js';
export { addresses } from './route/address.js';
export type { Address, AddressFilter, AddressCacheInfo, InetFamily } from './route/address-decode.js';
export { routes, routeGet } from './route/route.js';
export type { Route, RouteFilter, RouteCacheInfo } from './route/route-decode.js';
export type { RouteMetrics } from './route/route-metrics.js';
export type { RouteVia, RouteNexthop } from './route/multipath.js';
export { neighbors } from './route/neighbor.js';
export type { Neighbor, NeighborFilter, NeighborCacheInfo } from './route/neighbor-decode.js';
export { rules } from './route/rule.js';
export type { Rule, RuleFilter } from './route/rule-decode.js';
export { nexthops } from './route/nexthop.js';
export type { Nexthop, NexthopFilter, NexthopGroupMember, NexthopResilientGroup } from './route/nexthop-decode.js';
export { nexthopBuckets } from './route/nexthop-bucket.js';
export type { NexthopBucket, NexthopBucketEntry, NexthopBucketFilter } from './route/nexthop-bucket-decode.js';
export { nsids } from './route/nsid.js';
export { nsidsOf } from './route/nsids-of.js';
export type { Nsid } from './route/nsid-decode.js';
export type { GenlFamily, GenlOperation, GenlMulticastGroup } from './genl/nlctrl.js';
export type { PolicyMessage, AttributePolicy, OperationPolicy } from './genl/policy.js';
export { GenlFamilyNotFoundError } from './genl/family-not-found-error.js';
export { describeGenlFamily, type GenlCommand, type GenlFamilyDescription } from './genl/genl-family.js';
export { ethtoolFamily, setBits, type EthtoolFilter, type EthtoolBitset } from './genl/ethtool.js';
export { wireguardFamily, type WireguardDevice, type WireguardPeer } from './genl/wireguard.js';
export { mptcpPmFamily, type MptcpEndpoint } from './genl/mptcp-pm.js';
export { tcpMetricsFamily, type TcpMetrics, type TcpMetricValues } from './genl/tcp-metrics.js';
export { netdevFamily, type NetdevDevice, type NetdevQueue, type NetdevNapi, type NetdevQstats } from './genl/netdev.js';
export { socketOwners } from './sockdiag/socket-owners.js';
export { conntrack } from './netfilter/conntrack.js';
export { conntrackStats, type ConntrackCpuStats } from './netfilter/conntrack-stats.js';
export { conntrackExpectations } from './netfilter/expectations.js';
export type { Conntrack, ConntrackFilter, ConntrackTuple, ConntrackCounters } from './netfilter/conntrack-decode.js';
export { sockets } from './sockdiag/sockets.js';
export type { Socket } from './sockdiag/socket.js';
export type { SocketFilter } from './sockdiag/socket-filter.js';
export { SockDiagUnavailableError } from './sockdiag/sock-diag-unavailable-error.js';

// The dump engine.
export { dump } from './rx/dump.js';
export { dumpBatches } from './rx/dump-batches.js';
export { dumpObjects } from './rx/dump-objects.js';
export { forEachDumpObject } from './rx/for-each-dump-object.js';
export type { DumpSelector } from './rx/select-batch.js';
export { iterateDump, iterateDumpBatches } from './rx/iterate-dump.js';
export { forEachDumpBatch, type ForEachDumpOptions } from './rx/for-each-dump-batch.js';
export { dumpWith, type DumpWithOptions } from './rx/dump-with.js';
export { readBatches, type ReadPace } from './rx/read-batches.js';
export type { DumpOptions } from './rx/dump-options.js';
export type { DumpRequest } from './rx/dump-request.js';
export { SocketPool, type SocketPoolOptions, type SocketLease, type TransportFactory } from './rx/socket-pool.js';
export { socketPool, closeSocketPools } from './rx/socket-pools.js';
export type { NetlinkMessage } from './codec/header.js';

// Operators.
export { detectInterrupt } from './rx/operators/detect-interrupt.js';
export { filterSequence } from './rx/operators/filter-sequence.js';
export { flattenBatches } from './rx/operators/flatten-batches.js';
export { retryInterrupted } from './rx/operators/retry-interrupted.js';
export { shareDump } from './rx/operators/share-dump.js';
export { snapshot } from './rx/operators/snapshot.js';
export { splitBatch } from './rx/operators/split-batch.js';
export { takeUntilDone } from './rx/operators/take-until-done.js';
export { throwKernelErrors } from './rx/operators/throw-kernel-errors.js';

// Live tables and notifications.
export { watch } from './live/watch.js';
export { table } from './live/table.js';
export type { TableEvent, ResyncReason } from './live/table-event.js';
export type { LiveTableOptions } from './live/live-table.js';
export { isLiveKind, type LiveKinds, type LiveKind, type LiveObject, type LiveFilter } from './live/live-kind.js';
export {
  monitor, type MonitorOptions, type MonitorMessages, type MonitorOverrun, type MonitorSignal,
} from './live/monitor.js';
export {
  rtnetlinkMonitor, type RtnetlinkNotification, type RtnetlinkMonitorOptions,
} from './live/rtnetlink-monitor.js';

// The transport seam.
export type { Batch, Transport } from './transport/transport.js';
export { NetlinkSocket, type SocketOptions } from './transport/netlink-socket.js';
