/** RTA_METRICS: the nested RTAX_* attributes of a route (struct rtattr array, <linux/rtnetlink.h>). */
import { AttributeCursor } from '../codec/attributes.js';
import { NetlinkDecodeError } from '../errors.js';
import { rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';
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

/** The metric names RTAX_MTU … RTAX_FASTOPEN_NO_COOKIE map to, indexed by RTAX_* number. */
const KEYS: readonly (keyof RouteMetrics | undefined)[] = [
  undefined, 'lock', 'mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss', 'reordering', 'hoplimit',
  'initcwnd', 'features', 'rtoMin', 'initrwnd', 'quickack', 'congctl', 'fastopenNoCookie',
];

/**
 * metricKey names the RouteMetrics field of an RTAX_* number.
 *
 * @example
 * metricKey(RTAX_MTU); // 'mtu'
 */
export function metricKey(rtax: number): keyof RouteMetrics | undefined {
  return KEYS[rtax];
}

/**
 * decodeMetrics reads the RTAX_* attributes nested in an RTA_METRICS payload
 * `data[start, end)`. A metric of the wrong size is skipped and reported in
 * `problems`; the others are still read.
 *
 * @example
 * const metrics = decodeMetrics(cursor.data, cursor.offset, cursor.offset + cursor.length, problems);
 */
export function decodeMetrics(data: Buffer, start: number, end: number, problems: NetlinkDecodeError[]): RouteMetrics {
  const metrics: RouteMetrics = {};
  const c = new AttributeCursor(data, start, end, ['route', 'RTA_METRICS']);
  for (;;) {
    try {
      while (c.next()) {
        switch (c.type) {
          case RTAX_CC_ALGO: metrics.congctl = c.string(); break;
          case RTAX_LOCK: case RTAX_MTU: case RTAX_WINDOW: case RTAX_RTT: case RTAX_RTTVAR: case RTAX_SSTHRESH:
          case RTAX_CWND: case RTAX_ADVMSS: case RTAX_REORDERING: case RTAX_HOPLIMIT: case RTAX_INITCWND:
          case RTAX_FEATURES: case RTAX_RTO_MIN: case RTAX_INITRWND: case RTAX_QUICKACK:
          case RTAX_FASTOPEN_NO_COOKIE:
            (metrics as Record<string, number>)[KEYS[c.type]!] = c.u32();
            break;
          default: (metrics.unknown ??= []).push(rawAttribute(c));
        }
      }
      break;
    } catch (error) {
      if (!(error instanceof NetlinkDecodeError)) throw error;
      problems.push(error);
    }
  }
  if (c.error) problems.push(c.error);
  return metrics;
}
