/** RTA_METRICS: the nested RTAX_* attributes of a route (struct rtattr array, <linux/rtnetlink.h>). */
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import { string, u32 } from '../codec/attribute-type.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import {
  RTAX_ADVMSS, RTAX_CC_ALGO, RTAX_CWND, RTAX_FASTOPEN_NO_COOKIE, RTAX_FEATURES, RTAX_HOPLIMIT, RTAX_INITCWND,
  RTAX_INITRWND, RTAX_LOCK, RTAX_MTU, RTAX_QUICKACK, RTAX_REORDERING, RTAX_RTO_MIN, RTAX_RTT, RTAX_RTTVAR,
  RTAX_SSTHRESH, RTAX_WINDOW,
} from './route-constants.js';

/**
 * RouteMetrics are a route's metrics as the kernel stores them (the raw
 * values: `rtt` in 1/8 ms, `rttvar` in 1/4 ms, `rtoMin` in ms). `lock` is the
 * RTAX_LOCK bitmask: bit `RTAX_MTU` set means the mtu is locked.
 *
 * @example
 * const mtu = route.metrics?.mtu; // 1400 after `ip route add … mtu 1400`
 */
export interface RouteMetrics {
  lock?: number;
  mtu?: number;
  window?: number;
  rtt?: number;
  rttvar?: number;
  ssthresh?: number;
  cwnd?: number;
  advmss?: number;
  reordering?: number;
  hoplimit?: number;
  initcwnd?: number;
  features?: number;
  rtoMin?: number;
  initrwnd?: number;
  quickack?: number;
  /** RTAX_CC_ALGO: the congestion control algorithm's name. */
  congctl?: string;
  fastopenNoCookie?: number;
  /** RTAX_* attributes this decoder does not know. */
  unknown?: RawAttribute[];
}

/**
 * metricAttributes describes RTA_METRICS: each RTAX_* metric a u32 under its
 * `RouteMetrics` name, RTAX_CC_ALGO a string; others are kept in `unknown`.
 *
 * @example
 * attr(RTA_METRICS, nested(metricAttributes));
 */
export const metricAttributes: AttributeSet = attributeSet('RTA_METRICS', {
  lock: attr(RTAX_LOCK, u32),
  mtu: attr(RTAX_MTU, u32),
  window: attr(RTAX_WINDOW, u32),
  rtt: attr(RTAX_RTT, u32),
  rttvar: attr(RTAX_RTTVAR, u32),
  ssthresh: attr(RTAX_SSTHRESH, u32),
  cwnd: attr(RTAX_CWND, u32),
  advmss: attr(RTAX_ADVMSS, u32),
  reordering: attr(RTAX_REORDERING, u32),
  hoplimit: attr(RTAX_HOPLIMIT, u32),
  initcwnd: attr(RTAX_INITCWND, u32),
  features: attr(RTAX_FEATURES, u32),
  rtoMin: attr(RTAX_RTO_MIN, u32),
  initrwnd: attr(RTAX_INITRWND, u32),
  quickack: attr(RTAX_QUICKACK, u32),
  congctl: attr(RTAX_CC_ALGO, string),
  fastopenNoCookie: attr(RTAX_FASTOPEN_NO_COOKIE, u32),
}, { context: ['route', 'RTA_METRICS'] });

/**
 * metricKey names the RouteMetrics field of an RTAX_* number.
 *
 * @example
 * metricKey(RTAX_MTU); // 'mtu'
 */
export function metricKey(rtax: number): keyof RouteMetrics | undefined {
  return metricAttributes.spec(rtax)?.key as keyof RouteMetrics | undefined;
}
