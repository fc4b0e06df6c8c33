/**
 * The ethtool generic netlink family (<linux/ethtool_netlink.h>), described:
 * the request header, bitsets (verbose, with names, or compact), string
 * sets, and the replies of the GET commands a stock kernel answers for any
 * device — link info, link modes, link state, features, rings, channels,
 * coalescing, pause, EEE — each per device or as a dump over all devices.
 */
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import { binary, custom, flag, nested, nestedArray, string, u32, u64, u8 } from '../codec/attribute-type.js';
import { AttributeCursor } from '../codec/attributes.js';
import { describeMessage, type FieldValues, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import { NetlinkDecodeError } from '../errors.js';
import { describeGenlFamily } from './genl-family.js';
import { genlmsghdr } from './genl-header.js';

export const ETHTOOL_GENL_NAME = 'ethtool';
export const ETHTOOL_GENL_VERSION = 1;
export const ETHTOOL_MCGRP_MONITOR_NAME = 'monitor';

// Request commands (enum ETHTOOL_MSG_*_GET, user to kernel).
export const ETHTOOL_MSG_STRSET_GET = 1;
export const ETHTOOL_MSG_LINKINFO_GET = 2;
export const ETHTOOL_MSG_LINKMODES_GET = 4;
export const ETHTOOL_MSG_LINKSTATE_GET = 6;
export const ETHTOOL_MSG_DEBUG_GET = 7;
export const ETHTOOL_MSG_WOL_GET = 9;
export const ETHTOOL_MSG_FEATURES_GET = 11;
export const ETHTOOL_MSG_RINGS_GET = 15;
export const ETHTOOL_MSG_CHANNELS_GET = 17;
export const ETHTOOL_MSG_COALESCE_GET = 19;
export const ETHTOOL_MSG_PAUSE_GET = 21;
export const ETHTOOL_MSG_EEE_GET = 23;
export const ETHTOOL_MSG_TSINFO_GET = 25;
export const ETHTOOL_MSG_STATS_GET = 32;

// Notifications (enum ETHTOOL_MSG_*_NTF, kernel to user), on the "monitor" group.
export const ETHTOOL_MSG_LINKINFO_NTF = 3;
export const ETHTOOL_MSG_LINKMODES_NTF = 5;
export const ETHTOOL_MSG_DEBUG_NTF = 8;
export const ETHTOOL_MSG_WOL_NTF = 10;
export const ETHTOOL_MSG_FEATURES_NTF = 13;
export const ETHTOOL_MSG_RINGS_NTF = 17;
export const ETHTOOL_MSG_CHANNELS_NTF = 19;
export const ETHTOOL_MSG_COALESCE_NTF = 21;
export const ETHTOOL_MSG_PAUSE_NTF = 23;
export const ETHTOOL_MSG_EEE_NTF = 25;

// Request header flags (ETHTOOL_A_HEADER_FLAGS).
export const ETHTOOL_FLAG_COMPACT_BITSETS = 1 << 0;
export const ETHTOOL_FLAG_OMIT_REPLY = 1 << 1;
export const ETHTOOL_FLAG_STATS = 1 << 2;

// enum { ETHTOOL_A_HEADER_UNSPEC, … }
export const ETHTOOL_A_HEADER_DEV_INDEX = 1;
export const ETHTOOL_A_HEADER_DEV_NAME = 2;
export const ETHTOOL_A_HEADER_FLAGS = 3;

// Bitsets: enum ETHTOOL_A_BITSET_*, ETHTOOL_A_BITSET_BIT_*.
export const ETHTOOL_A_BITSET_NOMASK = 1;
export const ETHTOOL_A_BITSET_SIZE = 2;
export const ETHTOOL_A_BITSET_BITS = 3;
export const ETHTOOL_A_BITSET_VALUE = 4;
export const ETHTOOL_A_BITSET_MASK = 5;
export const ETHTOOL_A_BITSET_BITS_BIT = 1;
export const ETHTOOL_A_BITSET_BIT_INDEX = 1;
export const ETHTOOL_A_BITSET_BIT_NAME = 2;
export const ETHTOOL_A_BITSET_BIT_VALUE = 3;

// String sets.
export const ETH_SS_FEATURES = 4;
export const ETH_SS_LINK_MODES = 9;
export const ETH_SS_MSG_CLASSES = 10;
export const ETH_SS_WOL_MODES = 11;
/** The standard statistics groups' names ('eth-phy', 'eth-mac', 'eth-ctrl', 'rmon' …), global. */
export const ETH_SS_STATS_STD = 16;
export const ETH_SS_STATS_ETH_PHY = 17;
export const ETH_SS_STATS_ETH_MAC = 18;
export const ETH_SS_STATS_ETH_CTRL = 19;
export const ETH_SS_STATS_RMON = 20;

// Standard statistics (ETHTOOL_MSG_STATS_GET): enum ETHTOOL_A_STATS_*, ETHTOOL_A_STATS_GRP_*.
export const ETHTOOL_A_STATS_HEADER = 2;
export const ETHTOOL_A_STATS_GROUPS = 3;
export const ETHTOOL_A_STATS_GRP = 4;
/** Which MAC the counters are of (enum ethtool_mac_stats_src: 0 aggregate, 1 express, 2 preemptible); 6.6 and later. */
export const ETHTOOL_A_STATS_SRC = 5;
export const ETHTOOL_A_STATS_GRP_ID = 2;
export const ETHTOOL_A_STATS_GRP_SS_ID = 3;
export const ETHTOOL_A_STATS_GRP_STAT = 4;
export const ETHTOOL_A_STATS_GRP_HIST_RX = 5;
export const ETHTOOL_A_STATS_GRP_HIST_TX = 6;
export const ETHTOOL_A_STATS_GRP_HIST_BKT_LOW = 7;
export const ETHTOOL_A_STATS_GRP_HIST_BKT_HI = 8;
export const ETHTOOL_A_STATS_GRP_HIST_VAL = 9;
export const ETHTOOL_A_STRSET_HEADER = 1;
export const ETHTOOL_A_STRSET_STRINGSETS = 2;
export const ETHTOOL_A_STRSET_COUNTS_ONLY = 3;
export const ETHTOOL_A_STRINGSETS_STRINGSET = 1;
export const ETHTOOL_A_STRINGSET_ID = 1;
export const ETHTOOL_A_STRINGSET_COUNT = 2;
export const ETHTOOL_A_STRINGSET_STRINGS = 3;
export const ETHTOOL_A_STRING_INDEX = 1;
export const ETHTOOL_A_STRING_VALUE = 2;

/**
 * EthtoolHeader is ETHTOOL_A_*_HEADER: which device a reply is about.
 *
 * @example
 * channels.header?.ifname; // 'v0'
 */
export interface EthtoolHeader {
  ifindex?: number;
  ifname?: string;
  flags?: number;
  unknown?: RawAttribute[];
}

/** One bit of a verbose bitset: its index, its name, whether it is set. */
export interface EthtoolBit {
  index?: number;
  name?: string;
  value?: true;
  unknown?: RawAttribute[];
}

/**
 * EthtoolBitset is an ethtool bitset: verbose (`bits`, with names, only the
 * set bits when `nomask`) or compact (`value` and `mask` as bytes, names from
 * the string set).
 *
 * @example
 * features.active?.bits?.filter((b) => b.value).map((b) => b.name);
 */
export interface EthtoolBitset {
  nomask?: true;
  size?: number;
  bits?: EthtoolBit[];
  value?: Uint8Array;
  mask?: Uint8Array;
  unknown?: RawAttribute[];
}

/** What every ethtool reply carries: genlmsghdr, the device, and unknown attributes and problems. */
export interface EthtoolReply {
  cmd: number;
  genlVersion: number;
  header?: EthtoolHeader;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/** ETHTOOL_MSG_LINKINFO_GET_REPLY. */
export interface EthtoolLinkInfo extends EthtoolReply {
  port?: number; phyaddr?: number; tpMdix?: number; tpMdixCtrl?: number; transceiver?: number;
}
/** ETHTOOL_MSG_LINKMODES_GET_REPLY. */
export interface EthtoolLinkModes extends EthtoolReply {
  autoneg?: number; ours?: EthtoolBitset; peer?: EthtoolBitset; speed?: number; duplex?: number;
  masterSlaveCfg?: number; masterSlaveState?: number; lanes?: number; rateMatching?: number;
}
/** ETHTOOL_MSG_LINKSTATE_GET_REPLY. */
export interface EthtoolLinkState extends EthtoolReply {
  link?: number; sqi?: number; sqiMax?: number; extState?: number; extSubstate?: number; extDownCnt?: number;
}
/** ETHTOOL_MSG_DEBUG_GET_REPLY: the driver's message mask (netif_msg classes). */
export interface EthtoolDebug extends EthtoolReply {
  msgmask?: EthtoolBitset;
}
/** ETHTOOL_MSG_WOL_GET_REPLY: Wake-on-LAN modes (listed: supported; set: enabled) and the SecureOn password. */
export interface EthtoolWol extends EthtoolReply {
  modes?: EthtoolBitset; sopass?: Uint8Array;
}
/** ETHTOOL_MSG_FEATURES_GET_REPLY. */
export interface EthtoolFeatures extends EthtoolReply {
  hw?: EthtoolBitset; wanted?: EthtoolBitset; active?: EthtoolBitset; nochange?: EthtoolBitset;
}
/** ETHTOOL_MSG_RINGS_GET_REPLY. */
export interface EthtoolRings extends EthtoolReply {
  rxMax?: number; rxMiniMax?: number; rxJumboMax?: number; txMax?: number;
  rx?: number; rxMini?: number; rxJumbo?: number; tx?: number; rxBufLen?: number;
  tcpDataSplit?: number; cqeSize?: number; txPush?: number;
}
/** ETHTOOL_MSG_CHANNELS_GET_REPLY. */
export interface EthtoolChannels extends EthtoolReply {
  rxMax?: number; txMax?: number; otherMax?: number; combinedMax?: number;
  rxCount?: number; txCount?: number; otherCount?: number; combinedCount?: number;
}
/** ETHTOOL_MSG_COALESCE_GET_REPLY: every ETHTOOL_A_COALESCE_* value the driver reports. */
export interface EthtoolCoalesce extends EthtoolReply {
  rxUsecs?: number; rxMaxFrames?: number; rxUsecsIrq?: number; rxMaxFramesIrq?: number;
  txUsecs?: number; txMaxFrames?: number; txUsecsIrq?: number; txMaxFramesIrq?: number;
  statsBlockUsecs?: number; useAdaptiveRx?: number; useAdaptiveTx?: number;
  pktRateLow?: number; rxUsecsLow?: number; rxMaxFramesLow?: number; txUsecsLow?: number; txMaxFramesLow?: number;
  pktRateHigh?: number; rxUsecsHigh?: number; rxMaxFramesHigh?: number; txUsecsHigh?: number; txMaxFramesHigh?: number;
  rateSampleInterval?: number; useCqeModeTx?: number; useCqeModeRx?: number;
}
/** ETHTOOL_MSG_PAUSE_GET_REPLY. */
export interface EthtoolPause extends EthtoolReply {
  autoneg?: number; rx?: number; tx?: number;
}
/** ETHTOOL_MSG_EEE_GET_REPLY. */
export interface EthtoolEee extends EthtoolReply {
  modesOurs?: EthtoolBitset; modesPeer?: EthtoolBitset; active?: number; enabled?: number;
  txLpiEnabled?: number; txLpiTimer?: number;
}
/**
 * ETHTOOL_MSG_TSINFO_GET_REPLY: time stamping capabilities (SOF_TIMESTAMPING_*
 * bits), the hardware clock's index, the hardware transmit types and receive
 * filters (`ethtool -T`).
 */
export interface EthtoolTsinfo extends EthtoolReply {
  timestamping?: EthtoolBitset; txTypes?: EthtoolBitset; rxFilters?: EthtoolBitset; phcIndex?: number;
}
/** One string set of ETHTOOL_MSG_STRSET_GET_REPLY: its id and its strings by index. */
export interface EthtoolStringSet {
  id?: number; count?: number; strings?: { index?: number; value?: string }[];
}
/** ETHTOOL_MSG_STRSET_GET_REPLY. */
export interface EthtoolStrset extends EthtoolReply {
  stringsets?: EthtoolStringSet[];
}
/** One counter of a standard statistics group: its index in the group's string set (`ssId`), its value. */
export interface EthtoolGroupStat {
  id: number;
  value: bigint;
}
/** One bucket of an RMON packet-size histogram: frames of `low` to `high` octets (`high` 0: no upper bound). */
export interface EthtoolHistogramBucket {
  low?: number;
  high?: number;
  value?: bigint;
  unknown?: RawAttribute[];
}
/**
 * One standard statistics group (IEEE 802.3 PHY, MAC, MAC control, RMON …):
 * `id` its index in ETH_SS_STATS_STD, `ssId` the string set naming its
 * counters; only the counters the driver reports.
 */
export interface EthtoolStatsGroup {
  id?: number;
  ssId?: number;
  stats?: EthtoolGroupStat[];
  histogramRx?: EthtoolHistogramBucket[];
  histogramTx?: EthtoolHistogramBucket[];
  unknown?: RawAttribute[];
}
/** ETHTOOL_MSG_STATS_GET_REPLY: the standard statistics groups asked for (`ethtool -S DEV --all-groups`). */
export interface EthtoolStats extends EthtoolReply {
  groups?: EthtoolStatsGroup[];
  /** ETHTOOL_A_STATS_SRC: the MAC the counters are of (0 aggregate, 1 express, 2 preemptible). */
  src?: number;
}

const headerAttributes = attributeSet('ETHTOOL_A_HEADER', {
  ifindex: attr(ETHTOOL_A_HEADER_DEV_INDEX, u32),
  ifname: attr(ETHTOOL_A_HEADER_DEV_NAME, string),
  flags: attr(ETHTOOL_A_HEADER_FLAGS, u32),
});

const bitset = nested(attributeSet('ETHTOOL_A_BITSET', {
  nomask: attr(ETHTOOL_A_BITSET_NOMASK, flag),
  size: attr(ETHTOOL_A_BITSET_SIZE, u32),
  // Every bit is an ETHTOOL_A_BITSET_BITS_BIT (1), not an array numbered from 1: requests are refused otherwise.
  bits: attr(ETHTOOL_A_BITSET_BITS, nested(attributeSet('ETHTOOL_A_BITSET_BITS', {
    bit: attr(ETHTOOL_A_BITSET_BITS_BIT, nested(attributeSet('ETHTOOL_A_BITSET_BIT', {
      index: attr(ETHTOOL_A_BITSET_BIT_INDEX, u32),
      name: attr(ETHTOOL_A_BITSET_BIT_NAME, string),
      value: attr(ETHTOOL_A_BITSET_BIT_VALUE, flag),
    })), { multi: true }),
  }), 'bit')),
  value: attr(ETHTOOL_A_BITSET_VALUE, binary),
  mask: attr(ETHTOOL_A_BITSET_MASK, binary),
}));

/** A reply's attribute set: the header (attribute 1 in every ethtool message), then `fields` numbered from 2. */
function replyAttributes(name: string, fields: Readonly<Record<string, ReturnType<typeof attr>>>): AttributeSet {
  return attributeSet(name, { header: attr(1, nested(headerAttributes)), ...fields });
}

/** u32 attributes numbered in order from `first`, as the uapi enums list them. */
function numbered(first: number, names: readonly string[], type = u32): Record<string, ReturnType<typeof attr>> {
  return Object.fromEntries(names.map((name, i) => [name, attr(first + i, type)]));
}

function reply<T>(name: string, set: AttributeSet): MessageDescription<T> {
  return describeMessage<T>(name, genlmsghdr, set);
}

export const linkInfoMessage = reply<EthtoolLinkInfo>('ETHTOOL_MSG_LINKINFO_GET_REPLY', replyAttributes('ETHTOOL_A_LINKINFO',
  numbered(2, ['port', 'phyaddr', 'tpMdix', 'tpMdixCtrl', 'transceiver'], u8)));

export const linkModesMessage = reply<EthtoolLinkModes>('ETHTOOL_MSG_LINKMODES_GET_REPLY', replyAttributes('ETHTOOL_A_LINKMODES', {
  autoneg: attr(2, u8), ours: attr(3, bitset), peer: attr(4, bitset), speed: attr(5, u32), duplex: attr(6, u8),
  masterSlaveCfg: attr(7, u8), masterSlaveState: attr(8, u8), lanes: attr(9, u32), rateMatching: attr(10, u8),
}));

export const linkStateMessage = reply<EthtoolLinkState>('ETHTOOL_MSG_LINKSTATE_GET_REPLY', replyAttributes('ETHTOOL_A_LINKSTATE', {
  link: attr(2, u8), sqi: attr(3, u32), sqiMax: attr(4, u32), extState: attr(5, u8), extSubstate: attr(6, u8),
  extDownCnt: attr(7, u32),
}));

export const debugMessage = reply<EthtoolDebug>('ETHTOOL_MSG_DEBUG_GET_REPLY', replyAttributes('ETHTOOL_A_DEBUG', {
  msgmask: attr(2, bitset),
}));

export const wolMessage = reply<EthtoolWol>('ETHTOOL_MSG_WOL_GET_REPLY', replyAttributes('ETHTOOL_A_WOL', {
  modes: attr(2, bitset), sopass: attr(3, binary),
}));

export const featuresMessage = reply<EthtoolFeatures>('ETHTOOL_MSG_FEATURES_GET_REPLY', replyAttributes('ETHTOOL_A_FEATURES', {
  hw: attr(2, bitset), wanted: attr(3, bitset), active: attr(4, bitset), nochange: attr(5, bitset),
}));

export const ringsMessage = reply<EthtoolRings>('ETHTOOL_MSG_RINGS_GET_REPLY', replyAttributes('ETHTOOL_A_RINGS', {
  ...numbered(2, ['rxMax', 'rxMiniMax', 'rxJumboMax', 'txMax', 'rx', 'rxMini', 'rxJumbo', 'tx', 'rxBufLen']),
  tcpDataSplit: attr(11, u8), cqeSize: attr(12, u32), txPush: attr(13, u8),
}));

export const channelsMessage = reply<EthtoolChannels>('ETHTOOL_MSG_CHANNELS_GET_REPLY', replyAttributes('ETHTOOL_A_CHANNELS',
  numbered(2, ['rxMax', 'txMax', 'otherMax', 'combinedMax', 'rxCount', 'txCount', 'otherCount', 'combinedCount'])));

export const coalesceMessage = reply<EthtoolCoalesce>('ETHTOOL_MSG_COALESCE_GET_REPLY', replyAttributes('ETHTOOL_A_COALESCE', {
  ...numbered(2, ['rxUsecs', 'rxMaxFrames', 'rxUsecsIrq', 'rxMaxFramesIrq', 'txUsecs', 'txMaxFrames', 'txUsecsIrq',
    'txMaxFramesIrq', 'statsBlockUsecs']),
  useAdaptiveRx: attr(11, u8), useAdaptiveTx: attr(12, u8),
  ...numbered(13, ['pktRateLow', 'rxUsecsLow', 'rxMaxFramesLow', 'txUsecsLow', 'txMaxFramesLow', 'pktRateHigh',
    'rxUsecsHigh', 'rxMaxFramesHigh', 'txUsecsHigh', 'txMaxFramesHigh', 'rateSampleInterval']),
  useCqeModeTx: attr(24, u8), useCqeModeRx: attr(25, u8),
}));

export const pauseMessage = reply<EthtoolPause>('ETHTOOL_MSG_PAUSE_GET_REPLY', replyAttributes('ETHTOOL_A_PAUSE',
  numbered(2, ['autoneg', 'rx', 'tx'], u8)));

export const eeeMessage = reply<EthtoolEee>('ETHTOOL_MSG_EEE_GET_REPLY', replyAttributes('ETHTOOL_A_EEE', {
  modesOurs: attr(2, bitset), modesPeer: attr(3, bitset), active: attr(4, u8), enabled: attr(5, u8),
  txLpiEnabled: attr(6, u8), txLpiTimer: attr(7, u32),
}));

export const tsinfoMessage = reply<EthtoolTsinfo>('ETHTOOL_MSG_TSINFO_GET_REPLY', replyAttributes('ETHTOOL_A_TSINFO', {
  timestamping: attr(2, bitset), txTypes: attr(3, bitset), rxFilters: attr(4, bitset), phcIndex: attr(5, u32),
}));

export const strsetMessage = reply<EthtoolStrset>('ETHTOOL_MSG_STRSET_GET_REPLY', replyAttributes('ETHTOOL_A_STRSET', {
  stringsets: attr(ETHTOOL_A_STRSET_STRINGSETS, nested(attributeSet('ETHTOOL_A_STRINGSETS', {
    stringsets: attr(ETHTOOL_A_STRINGSETS_STRINGSET, nested(attributeSet('ETHTOOL_A_STRINGSET', {
      id: attr(ETHTOOL_A_STRINGSET_ID, u32),
      count: attr(ETHTOOL_A_STRINGSET_COUNT, u32),
      strings: attr(ETHTOOL_A_STRINGSET_STRINGS, nestedArray(attributeSet('ETHTOOL_A_STRING', {
        index: attr(ETHTOOL_A_STRING_INDEX, u32),
        value: attr(ETHTOOL_A_STRING_VALUE, string),
      }))),
    })), { multi: true }),
  }), 'stringsets')),
}));

/**
 * ETHTOOL_A_STATS_GRP_STAT: u64 counters whose attribute type is the
 * counter's index in the group's string set (0 included), so no attribute
 * set can name them.
 */
const groupStats = custom<EthtoolGroupStat[]>('ETHTOOL_A_STATS_GRP_STAT', (data, offset, length) => {
  const stats: EthtoolGroupStat[] = [];
  const cursor = new AttributeCursor(data, offset, offset + length, ['ETHTOOL_A_STATS_GRP_STAT']);
  while (cursor.next()) {
    if (cursor.length !== 8) {
      throw new NetlinkDecodeError(`counter ${cursor.type} has ${cursor.length} bytes, not 8`, cursor.offset, cursor.context);
    }
    stats.push({ id: cursor.type, value: data.readBigUInt64LE(cursor.offset) });
  }
  if (cursor.error) throw cursor.error;
  return stats;
});

const histogramBucket = nested(attributeSet('ETHTOOL_A_STATS_GRP_HIST', {
  low: attr(ETHTOOL_A_STATS_GRP_HIST_BKT_LOW, u32),
  high: attr(ETHTOOL_A_STATS_GRP_HIST_BKT_HI, u32),
  value: attr(ETHTOOL_A_STATS_GRP_HIST_VAL, u64),
}, { ignore: [1] }));

export const statsMessage = reply<EthtoolStats>('ETHTOOL_MSG_STATS_GET_REPLY', attributeSet('ETHTOOL_A_STATS', {
  header: attr(ETHTOOL_A_STATS_HEADER, nested(headerAttributes)),
  groups: attr(ETHTOOL_A_STATS_GRP, nested(attributeSet('ETHTOOL_A_STATS_GRP', {
    id: attr(ETHTOOL_A_STATS_GRP_ID, u32),
    ssId: attr(ETHTOOL_A_STATS_GRP_SS_ID, u32),
    stats: attr(ETHTOOL_A_STATS_GRP_STAT, groupStats),
    histogramRx: attr(ETHTOOL_A_STATS_GRP_HIST_RX, histogramBucket, { multi: true }),
    histogramTx: attr(ETHTOOL_A_STATS_GRP_HIST_TX, histogramBucket, { multi: true }),
  }, { ignore: [1] })), { multi: true }),
  groupsAsked: attr(ETHTOOL_A_STATS_GROUPS, bitset),
  src: attr(ETHTOOL_A_STATS_SRC, u32),
}, { ignore: [1] }));

/**
 * The uapi's standard statistics groups, by their ETH_SS_STATS_STD names:
 * what `stats()` asks for when the filter names none. Newer kernels have
 * more ('phydev'): name them, or ask for every name of that string set.
 */
export const ETHTOOL_STATS_GROUP_NAMES: readonly string[] = ['eth-phy', 'eth-mac', 'eth-ctrl', 'rmon'];

/**
 * EthtoolStatsFilter selects a device and the standard statistics groups to
 * read, by name.
 *
 * @example
 * genl().use(ethtoolFamily).stats({ ifname: 'eth0', groups: ['eth-mac', 'rmon'] });
 */
export interface EthtoolStatsFilter extends EthtoolFilter {
  groups?: readonly string[];
  /** The MAC to read with MAC Merge (0 aggregate, 1 express, 2 preemptible); kernels before 6.6 refuse it. */
  src?: number;
}

/**
 * EthtoolFilter selects the device(s) of an ethtool request: one by index or
 * name, or every device (a dump) when neither is given; `flags` are
 * ETHTOOL_FLAG_* (compact bitsets, statistics).
 *
 * @example
 * genl().use(ethtoolFamily).features({ ifname: 'v0', flags: ETHTOOL_FLAG_COMPACT_BITSETS });
 */
export interface EthtoolFilter {
  ifindex?: number;
  ifname?: string;
  flags?: number;
}

/** The request header of a filter: ETHTOOL_A_*_HEADER with what it names. */
function headerRequest(filter: EthtoolFilter = {}): FieldValues {
  const header = { ifindex: filter.ifindex, ifname: filter.ifname, flags: filter.flags };
  return Object.values(header).some((v) => v !== undefined) ? { header } : {};
}

/** Whether a filter names one device: then a "do" request asks for it alone (and fails as the kernel does). */
function oneDevice(filter: EthtoolFilter = {}): boolean {
  return filter.ifindex !== undefined || filter.ifname !== undefined;
}

/** Whether a reply is about the device a filter names (ethtool dumps list every device). */
function sameDevice(reply: EthtoolReply, filter: EthtoolFilter = {}): boolean {
  if (filter.ifindex !== undefined && reply.header?.ifindex !== filter.ifindex) return false;
  return filter.ifname === undefined || reply.header?.ifname === filter.ifname;
}

/** How often an ethtool table is re-read by default: devices come and go unannounced. */
export const ETHTOOL_TABLE_POLL = 5000;

/**
 * One setting kind as a table: the kind's dump (compact bitsets, as the
 * `*_NTF` notifications carry them, so a notified row equals a re-read one),
 * one row per device (the reply header's ifindex), replaced whole by the
 * kind's notification. ethtool notifies no device's arrival or departure:
 * rows of devices that come or go appear and vanish with the next re-read.
 */
function settingsTable<K extends string>(kind: K) {
  return {
    list: kind, listFilter: { flags: ETHTOOL_FLAG_COMPACT_BITSETS }, key: ['header', 'ifindex'],
    upsert: [kind], poll: ETHTOOL_TABLE_POLL,
  } as const;
}

/**
 * ethtoolFamily is the ethtool family described: `genl().use(ethtoolFamily)`
 * gives `linkInfo`, `linkModes`, `linkState`, `debug`, `wol`, `features`, `rings`,
 * `channels`, `coalesce`, `pause`, `eee`, `tsinfo` (time stamping), `stats` (the standard statistics
 * groups), `strings` (a device's string sets) and `globalStrings` (the
 * sets of no device: `{ sets: [ETH_SS_LINK_MODES] }`), each a cold
 * Observable of one reply per device; naming one device (`ifindex` /
 * `ifname`) asks for it alone, and a device without the feature fails with
 * the kernel's EOPNOTSUPP, a missing one with ENODEV. Its `monitor` group's
 * notifications (settings changed by anyone, e.g. `ethtool -K`) come typed
 * from `genl().notifications(ethtoolFamily)`. Each setting kind that has a
 * notification is also a table for `genl().watch(ethtoolFamily, kind)`: one
 * row per device (keyed by ifindex), replaced by the kind's notification,
 * and re-read every ETHTOOL_TABLE_POLL ms for devices that came or went.
 *
 * @example
 * genl({ netns: 'blue' }).use(ethtoolFamily).channels({ ifname: 'v0' }).subscribe((c) => console.log(c.rxCount));
 */
export const ethtoolFamily = describeGenlFamily(ETHTOOL_GENL_NAME, {
  linkInfo: { cmd: ETHTOOL_MSG_LINKINFO_GET, message: linkInfoMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  linkModes: { cmd: ETHTOOL_MSG_LINKMODES_GET, message: linkModesMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  linkState: { cmd: ETHTOOL_MSG_LINKSTATE_GET, message: linkStateMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  debug: { cmd: ETHTOOL_MSG_DEBUG_GET, message: debugMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  wol: { cmd: ETHTOOL_MSG_WOL_GET, message: wolMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  features: { cmd: ETHTOOL_MSG_FEATURES_GET, message: featuresMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  rings: { cmd: ETHTOOL_MSG_RINGS_GET, message: ringsMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  channels: { cmd: ETHTOOL_MSG_CHANNELS_GET, message: channelsMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  coalesce: { cmd: ETHTOOL_MSG_COALESCE_GET, message: coalesceMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  pause: { cmd: ETHTOOL_MSG_PAUSE_GET, message: pauseMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  eee: { cmd: ETHTOOL_MSG_EEE_GET, message: eeeMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  tsinfo: { cmd: ETHTOOL_MSG_TSINFO_GET, message: tsinfoMessage, request: headerRequest, match: sameDevice, single: oneDevice },
  stats: {
    cmd: ETHTOOL_MSG_STATS_GET, message: statsMessage,
    // The groups as a verbose bitset of names without a mask: the kernel looks them up in ETH_SS_STATS_STD.
    request: (filter: EthtoolStatsFilter = {}) => ({
      ...headerRequest(filter),
      groupsAsked: { nomask: true, bits: (filter.groups ?? ETHTOOL_STATS_GROUP_NAMES).map((name) => ({ name })) },
      src: filter.src,
    }),
    match: sameDevice,
    single: oneDevice,
  },
  // Sets that belong to no device (link mode, feature, message class names …): one "do" request
  // with an empty header — without the header the kernel answers EINVAL.
  globalStrings: {
    cmd: ETHTOOL_MSG_STRSET_GET, message: strsetMessage,
    request: (filter: { sets: readonly number[] }) => ({ header: {}, stringsets: filter.sets.map((id) => ({ id })) }),
    single: () => true,
  },
  strings: {
    cmd: ETHTOOL_MSG_STRSET_GET, message: strsetMessage,
    request: (filter: EthtoolFilter & { sets?: readonly number[] } = {}) => ({
      ...headerRequest(filter),
      stringsets: filter.sets?.map((id) => ({ id })),
    }),
    match: sameDevice,
    single: oneDevice,
  },
}, {
  groups: [ETHTOOL_MCGRP_MONITOR_NAME],
  notifications: {
    linkInfo: { cmd: ETHTOOL_MSG_LINKINFO_NTF, message: linkInfoMessage },
    linkModes: { cmd: ETHTOOL_MSG_LINKMODES_NTF, message: linkModesMessage },
    debug: { cmd: ETHTOOL_MSG_DEBUG_NTF, message: debugMessage },
    wol: { cmd: ETHTOOL_MSG_WOL_NTF, message: wolMessage },
    features: { cmd: ETHTOOL_MSG_FEATURES_NTF, message: featuresMessage },
    rings: { cmd: ETHTOOL_MSG_RINGS_NTF, message: ringsMessage },
    channels: { cmd: ETHTOOL_MSG_CHANNELS_NTF, message: channelsMessage },
    coalesce: { cmd: ETHTOOL_MSG_COALESCE_NTF, message: coalesceMessage },
    pause: { cmd: ETHTOOL_MSG_PAUSE_NTF, message: pauseMessage },
    eee: { cmd: ETHTOOL_MSG_EEE_NTF, message: eeeMessage },
  },
  tables: {
    linkInfo: settingsTable('linkInfo'),
    linkModes: settingsTable('linkModes'),
    debug: settingsTable('debug'),
    wol: settingsTable('wol'),
    features: settingsTable('features'),
    rings: settingsTable('rings'),
    channels: settingsTable('channels'),
    coalesce: settingsTable('coalesce'),
    pause: settingsTable('pause'),
    eee: settingsTable('eee'),
  },
});

/**
 * setBits lists the names of the bits a bitset sets, whatever its form:
 * verbose with a mask (bits carrying ETHTOOL_A_BITSET_BIT_VALUE), verbose
 * without (every listed bit is set), or compact (`value` bytes, named by
 * `names`, the string set of the bitset — e.g. ETH_SS_FEATURES; a bit
 * without a name is given as its index).
 *
 * @example
 * setBits(features.active!); // ['rx-checksum', 'tx-scatter-gather', …]
 */
export function setBits(bitset: EthtoolBitset, names: readonly { index?: number; value?: string }[] = []): string[] {
  if (bitset.bits !== undefined) {
    return bitset.bits.filter((b) => bitset.nomask || b.value).map((b) => b.name ?? String(b.index));
  }
  const value = bitset.value ?? new Uint8Array(0);
  const byIndex = new Map(names.map((s) => [s.index, s.value]));
  const set: string[] = [];
  for (let i = 0; i < value.length * 8; i++) if (value[i >> 3] & (1 << (i & 7))) set.push(byIndex.get(i) ?? String(i));
  return set;
}

/**
 * namedBitset gives a compact bitset (what notifications and
 * ETHTOOL_FLAG_COMPACT_BITSETS replies carry) the verbose form, its bits
 * named from `names` (the bitset's string set): with a mask, every bit the
 * mask holds with `value` where set; without (`nomask`), the set bits only —
 * as the kernel writes a verbose bitset. A verbose bitset is returned as it is.
 *
 * @example
 * namedBitset(ntf.msgmask!, msgClasses).bits?.map((b) => b.name); // ['drv', 'link']
 */
export function namedBitset(bitset: EthtoolBitset, names: readonly { index?: number; value?: string }[]): EthtoolBitset {
  if (bitset.bits !== undefined) return bitset;
  const byIndex = new Map(names.map((s) => [s.index, s.value]));
  const value = bitset.value ?? new Uint8Array(0);
  const listed = bitset.nomask ? value : bitset.mask ?? value;
  const isSet = (bytes: Uint8Array, i: number) => (bytes[i >> 3] & (1 << (i & 7))) !== 0;
  const bits: EthtoolBit[] = [];
  for (let i = 0; i < Math.min(bitset.size ?? listed.length * 8, listed.length * 8); i++) {
    if (!isSet(listed, i)) continue;
    bits.push({ index: i, name: byIndex.get(i) ?? `BIT${i}`, ...(!bitset.nomask && isSet(value, i) ? { value: true as const } : {}) });
  }
  return { ...(bitset.nomask ? { nomask: true as const } : {}), size: bitset.size, bits };
}
