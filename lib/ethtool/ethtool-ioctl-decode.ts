/**
 * The ethtool ioctl's command structs (SIOCETHTOOL,
 * include/uapi/linux/ethtool.h) as bytes, for what the ethtool netlink family
 * does not carry: a driver's identity (struct ethtool_drvinfo) and its own
 * statistics (ethtool_sset_info, ethtool_gstrings, ethtool_stats).
 */
import { constants } from 'node:os';
import { NetlinkError } from '../errors.js';

export const ETHTOOL_GDRVINFO = 0x00000003;
export const ETHTOOL_GSTRINGS = 0x0000001b;
export const ETHTOOL_GSTATS = 0x0000001d;
export const ETHTOOL_GSSET_INFO = 0x00000037;
export const ETH_GSTRING_LEN = 32;
// enum ethtool_stringset
export const ETH_SS_TEST = 0;
export const ETH_SS_STATS = 1;
export const ETH_SS_PRIV_FLAGS = 2;

/** sizeof(struct ethtool_drvinfo): cmd, five strings (32 + 32 + 32 + 32 + 32), reserved2[12], five u32. */
export const ETHTOOL_DRVINFO_SIZE = 196;

/**
 * EthtoolIoctl runs one SIOCETHTOOL request for a device, the command struct
 * read and written in place (`NetlinkSocket.ethtool`).
 *
 * @example
 * const io: EthtoolIoctl = (ifname, data) => socket.ethtool(ifname, data);
 */
export type EthtoolIoctl = (ifname: string, data: Uint8Array) => void;

/**
 * EthtoolDriverInfo is struct ethtool_drvinfo: what `ethtool -i` prints. The
 * counts say what else the driver offers (`stats > 0`: `ethtool -S` has
 * something to show).
 */
export interface EthtoolDriverInfo {
  ifname: string;
  driver: string;
  version: string;
  firmwareVersion: string;
  expansionRomVersion: string;
  busInfo: string;
  /** Driver private flags (ETH_SS_PRIV_FLAGS strings). */
  privFlags: number;
  /** Counters of ETHTOOL_GSTATS. */
  stats: number;
  /** Results of a self-test (ETHTOOL_TEST). */
  testInfoLength: number;
  /** Bytes of EEPROM (ETHTOOL_GEEPROM). */
  eepromLength: number;
  /** Bytes of a register dump (ETHTOOL_GREGS). */
  registerDumpLength: number;
}

/** One driver statistic: its name and counter, in the driver's order (names may repeat). */
export interface EthtoolStatistic {
  name: string;
  value: bigint;
}

/** A device's driver statistics (`ethtool -S`): empty when the driver keeps none. */
export interface EthtoolStatistics {
  ifname: string;
  statistics: EthtoolStatistic[];
}

/**
 * ethtoolCommand allocates a command struct of `size` bytes whose first u32
 * is `cmd`.
 *
 * @example
 * const { bytes, view } = ethtoolCommand(196, ETHTOOL_GDRVINFO);
 */
export function ethtoolCommand(size: number, cmd: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, cmd, true);
  return { bytes, view };
}

/**
 * ethtoolString reads a NUL-padded char array of a struct, as `%.*s` prints it
 * (as UTF-8: ethtool writes the bytes, a terminal shows them as text).
 *
 * @example
 * ethtoolString(bytes, 12, ETH_GSTRING_LEN); // 'peer_ifindex'
 */
export function ethtoolString(bytes: Uint8Array, offset: number, length: number): string {
  const field = bytes.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return Buffer.from(field.buffer, field.byteOffset, end < 0 ? length : end).toString('utf8');
}

/**
 * decodeDriverInfo reads struct ethtool_drvinfo.
 *
 * @example
 * decodeDriverInfo('v0', bytes).driver; // 'veth'
 */
export function decodeDriverInfo(ifname: string, bytes: Uint8Array): EthtoolDriverInfo {
  if (bytes.length < ETHTOOL_DRVINFO_SIZE) {
    throw new NetlinkError(`struct ethtool_drvinfo needs ${ETHTOOL_DRVINFO_SIZE} bytes, got ${bytes.length}`, constants.errno.EPROTO, 'EPROTO');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return {
    ifname,
    driver: ethtoolString(bytes, 4, 32),
    version: ethtoolString(bytes, 36, 32),
    firmwareVersion: ethtoolString(bytes, 68, 32),
    busInfo: ethtoolString(bytes, 100, 32),
    expansionRomVersion: ethtoolString(bytes, 132, 32),
    privFlags: view.getUint32(176, true),
    stats: view.getUint32(180, true),
    testInfoLength: view.getUint32(184, true),
    eepromLength: view.getUint32(188, true),
    registerDumpLength: view.getUint32(192, true),
  };
}
