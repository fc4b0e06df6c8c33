/**
 * The tcp_metrics generic netlink family (<linux/tcp_metrics.h>), described:
 * the per-destination TCP metrics the kernel keeps (what `ip tcp_metrics
 * show` lists).
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { binary, inet, nested, s32, u16, u32, u64n } from '../codec/attribute-type.js';
import { describeMessage } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import { describeGenlFamily } from './genl-family.js';
import { genlmsghdr } from './genl-header.js';

export const TCP_METRICS_GENL_NAME = 'tcp_metrics';
export const TCP_METRICS_CMD_GET = 1;
// enum { TCP_METRICS_ATTR_UNSPEC, … }
export const TCP_METRICS_ATTR_ADDR_IPV4 = 1;
export const TCP_METRICS_ATTR_ADDR_IPV6 = 2;
export const TCP_METRICS_ATTR_AGE = 3;
export const TCP_METRICS_ATTR_TW_TSVAL = 4;
export const TCP_METRICS_ATTR_TW_TS_STAMP = 5;
export const TCP_METRICS_ATTR_VALS = 6;
export const TCP_METRICS_ATTR_FOPEN_MSS = 7;
export const TCP_METRICS_ATTR_FOPEN_SYN_DROPS = 8;
export const TCP_METRICS_ATTR_FOPEN_SYN_DROP_TS = 9;
export const TCP_METRICS_ATTR_FOPEN_COOKIE = 10;
export const TCP_METRICS_ATTR_SADDR_IPV4 = 11;
export const TCP_METRICS_ATTR_SADDR_IPV6 = 12;
export const TCP_METRICS_ATTR_PAD = 13;

/**
 * TcpMetricValues are TCP_METRICS_ATTR_VALS: each `enum tcp_metric_index`
 * value, nested as attribute index + 1, as the kernel keeps them: `rttUs` is
 * the smoothed RTT × 8 and `rttvarUs` the variance × 4, in µs (`ip tcp_metrics`
 * shows them divided); `rtt` and `rttvar` the same in ms.
 */
export interface TcpMetricValues {
  rtt?: number; rttvar?: number; ssthresh?: number; cwnd?: number; reordering?: number;
  rttUs?: number; rttvarUs?: number;
  unknown?: RawAttribute[];
}

/**
 * TcpMetrics is one destination's entry: addresses (IPv4 or IPv6, one field
 * each), age in ms, the metric values, and TCP Fast Open state.
 *
 * @example
 * genl().use(tcpMetricsFamily).metrics().subscribe((m) => console.log(m.dst, m.vals?.cwnd));
 */
export interface TcpMetrics {
  cmd: number;
  genlVersion: number;
  dst?: string;
  source?: string;
  age?: number;
  twTsval?: number;
  twTsStamp?: number;
  vals?: TcpMetricValues;
  fopenMss?: number;
  fopenSynDrops?: number;
  fopenSynDropTs?: number;
  fopenCookie?: Uint8Array;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

const values = attributeSet('TCP_METRICS_ATTR_VALS', {
  rtt: attr(1, u32), rttvar: attr(2, u32), ssthresh: attr(3, u32), cwnd: attr(4, u32), reordering: attr(5, u32),
  rttUs: attr(6, u32), rttvarUs: attr(7, u32),
});

/**
 * metricsMessage is TCP_METRICS_CMD_GET's reply, described.
 *
 * @example
 * const entry = metricsMessage.decode(msg);
 */
export const metricsMessage = describeMessage<TcpMetrics>('TCP_METRICS_CMD_GET', genlmsghdr, attributeSet('tcp_metrics', {
  dst4: attr(TCP_METRICS_ATTR_ADDR_IPV4, inet, { into: 'dst' }),
  dst6: attr(TCP_METRICS_ATTR_ADDR_IPV6, inet, { into: 'dst' }),
  age: attr(TCP_METRICS_ATTR_AGE, u64n),
  twTsval: attr(TCP_METRICS_ATTR_TW_TSVAL, u32),
  twTsStamp: attr(TCP_METRICS_ATTR_TW_TS_STAMP, s32),
  vals: attr(TCP_METRICS_ATTR_VALS, nested(values)),
  fopenMss: attr(TCP_METRICS_ATTR_FOPEN_MSS, u16),
  fopenSynDrops: attr(TCP_METRICS_ATTR_FOPEN_SYN_DROPS, u16),
  fopenSynDropTs: attr(TCP_METRICS_ATTR_FOPEN_SYN_DROP_TS, u64n),
  fopenCookie: attr(TCP_METRICS_ATTR_FOPEN_COOKIE, binary),
  source4: attr(TCP_METRICS_ATTR_SADDR_IPV4, inet, { into: 'source' }),
  source6: attr(TCP_METRICS_ATTR_SADDR_IPV6, inet, { into: 'source' }),
}, { ignore: [TCP_METRICS_ATTR_PAD] }));

/**
 * tcpMetricsFamily: `genl().use(tcpMetricsFamily).metrics()` dumps the TCP
 * metrics cache of a namespace.
 *
 * @example
 * genl({ netns: 'blue' }).use(tcpMetricsFamily).metrics().subscribe((m) => console.log(m.dst, m.vals?.rttUs));
 */
export const tcpMetricsFamily = describeGenlFamily(TCP_METRICS_GENL_NAME, {
  metrics: { cmd: TCP_METRICS_CMD_GET, message: metricsMessage },
});
