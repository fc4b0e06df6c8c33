/**
 * The ethtool ioctl's request sequences over any `EthtoolIoctl`: a driver's
 * identity (`ethtool -i`) and its statistics (`ethtool -S`), asked again when
 * the driver's count changes between the calls — the specs play such a kernel.
 */
import { constants } from 'node:os';
import { NetlinkError } from '../errors.js';
import {
  decodeDriverInfo, ethtoolCommand, ethtoolString, ETH_GSTRING_LEN, ETH_SS_STATS, ETHTOOL_DRVINFO_SIZE, ETHTOOL_GDRVINFO,
  ETHTOOL_GSSET_INFO, ETHTOOL_GSTATS, ETHTOOL_GSTRINGS,
  type EthtoolDriverInfo, type EthtoolIoctl, type EthtoolStatistics,
} from './ethtool-ioctl-decode.js';

/**
 * driverInfo asks for a device's struct ethtool_drvinfo (`ethtool -i`).
 * Throws what the ioctl throws: `ENODEV`, `EOPNOTSUPP` (a device without a
 * driver to name, such as lo).
 *
 * @example
 * driverInfo((name, data) => socket.ethtool(name, data), 'v0').version; // '1.0'
 */
export function driverInfo(io: EthtoolIoctl, ifname: string): EthtoolDriverInfo {
  const { bytes } = ethtoolCommand(ETHTOOL_DRVINFO_SIZE, ETHTOOL_GDRVINFO);
  io(ifname, bytes);
  return decodeDriverInfo(ifname, bytes);
}

/**
 * stringSetLength is the number of strings of set `set` (`ETH_SS_STATS` …)
 * as ETHTOOL_GSSET_INFO reports it: 0 when the driver has no such set.
 *
 * @example
 * stringSetLength(io, 'v0', ETH_SS_STATS); // 10
 */
export function stringSetLength(io: EthtoolIoctl, ifname: string, set: number): number {
  const { bytes, view } = ethtoolCommand(20, ETHTOOL_GSSET_INFO);
  view.setBigUint64(8, 1n << BigInt(set), true);
  io(ifname, bytes);
  return view.getBigUint64(8, true) === 0n ? 0 : view.getUint32(16, true);
}

/**
 * The kernel writes as many strings or counters as the device has at the
 * time of the call. Newer kernels answer a count that is not the one asked
 * for with none (len 0); older ones write them all, which the addon's guard
 * page turns into EFAULT. Either way the count changed: ask again.
 */
const RETRIES = 5;

function changed(ifname: string): NetlinkError {
  return new NetlinkError(`${ifname}: the driver's statistics kept changing in number while being read`, constants.errno.EAGAIN, 'EAGAIN');
}

/**
 * strings reads the `count` strings of set `set` (ETHTOOL_GSTRINGS);
 * undefined when the set no longer has `count` strings.
 */
function strings(io: EthtoolIoctl, ifname: string, set: number, count: number): string[] | undefined {
  const { bytes, view } = ethtoolCommand(12 + count * ETH_GSTRING_LEN, ETHTOOL_GSTRINGS);
  view.setUint32(4, set, true);
  view.setUint32(8, count, true);
  if (!ioctlFitted(io, ifname, bytes) || view.getUint32(8, true) !== count) return undefined;
  return Array.from({ length: count }, (_, i) => ethtoolString(bytes, 12 + i * ETH_GSTRING_LEN, ETH_GSTRING_LEN));
}

/** An ioctl whose reply may have outgrown `bytes`: false when it did (see RETRIES). */
function ioctlFitted(io: EthtoolIoctl, ifname: string, bytes: Uint8Array): boolean {
  try {
    io(ifname, bytes);
    return true;
  } catch (error) {
    if (error instanceof NetlinkError && error.code === 'EFAULT') return false;
    throw error;
  }
}

/**
 * statistics reads a device's driver statistics as `ethtool -S` does: the
 * number of names (GSSET_INFO), the names (GSTRINGS), the counters (GSTATS),
 * asked again when the driver's count changes in between (a channel count
 * changed: `ethtool -L`), so names and counters always pair up.
 *
 * @example
 * for (const { name, value } of statistics(io, 'v0').statistics) console.log(name, value);
 */
export function statistics(io: EthtoolIoctl, ifname: string): EthtoolStatistics {
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    const count = stringSetLength(io, ifname, ETH_SS_STATS);
    if (count === 0) return { ifname, statistics: [] };
    const names = strings(io, ifname, ETH_SS_STATS, count);
    if (names === undefined) continue;
    const { bytes, view } = ethtoolCommand(8 + count * 8, ETHTOOL_GSTATS);
    view.setUint32(4, count, true);
    if (!ioctlFitted(io, ifname, bytes) || view.getUint32(4, true) !== count) continue;
    return { ifname, statistics: names.map((name, i) => ({ name, value: view.getBigUint64(8 + i * 8, true) })) };
  }
  throw changed(ifname);
}
