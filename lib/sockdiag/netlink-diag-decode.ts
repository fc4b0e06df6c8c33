/**
 * Netlink sockets over sock_diag: struct netlink_diag_req (the dump request)
 * and struct netlink_diag_msg + NETLINK_DIAG_* (each reply), described; the
 * typed object `NetlinkSocket` (what `ss -A netlink` lists).
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { custom, preset, structOf, u32, u64, u8 } from '../codec/attribute-type.js';
import { struct } from '../codec/compile-decoder.js';
import { NETLINK_SOCK_DIAG } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { skMeminfo, type SkMeminfo } from './sk-meminfo-info.js';
import {
  AF_NETLINK, NDIAG_PROTO_ALL, NDIAG_SHOW_FLAGS, NDIAG_SHOW_GROUPS, NDIAG_SHOW_MEMINFO, NETLINK_DIAG_FLAGS,
  NETLINK_DIAG_GROUPS, NETLINK_DIAG_MEMINFO, NETLINK_DIAG_MSG_SIZE, NETLINK_DIAG_REQ_SIZE, NETLINK_DIAG_RX_RING,
  NETLINK_DIAG_TX_RING, SOCK_DIAG_BY_FAMILY,
} from './sockdiag-constants.js';

/** struct netlink_diag_ring (mmap rings, gone since 4.6). */
export interface NetlinkDiagRing { blockSize: number; blockNr: number; frameSize: number; frameNr: number }

/**
 * NetlinkSocket is one netlink socket: its netlink `protocol` (NETLINK_ROUTE
 * 0, NETLINK_GENERIC 16 …), `portid`, the peer it is connected to, `state`
 * NETLINK_UNCONNECTED (0) or NETLINK_CONNECTED (1); `groups` the multicast
 * groups it joined (group numbers), `flags` NDIAG_FLAG_* bits.
 *
 * @example
 * sockets({ family: 'netlink' }).subscribe((s) => { if (s.kind === 'netlink') console.log(s.protocol, s.portid, s.groups); });
 */
export interface NetlinkSocket {
  kind: 'netlink';
  /** SOCK_RAW or SOCK_DGRAM. */
  type: number;
  protocol: number;
  state: number;
  portid: number;
  dstPortid: number;
  dstGroup: number;
  inode: number;
  cookie: bigint;
  skmeminfo?: SkMeminfo;
  groups?: number[];
  rxRing?: NetlinkDiagRing;
  txRing?: NetlinkDiagRing;
  flags?: number;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/** NETLINK_DIAG_GROUPS: a bitmap of u32 words; group n is bit n - 1. */
const groupBitmap = custom<number[]>('groups bitmap', (d, off, n) => {
  const groups: number[] = [];
  for (let word = 0; word * 4 + 4 <= n; word++) {
    const bits = d.readUInt32LE(off + word * 4);
    for (let bit = 0; bit < 32; bit++) if ((bits >>> bit) & 1) groups.push(word * 32 + bit + 1);
  }
  return groups;
});

const ring = structOf<NetlinkDiagRing>(struct('struct netlink_diag_ring', 16, {
  blockSize: [0, u32], blockNr: [4, u32], frameSize: [8, u32], frameNr: [12, u32],
}));

/**
 * netlinkSocketMessage is the reply of a netlink_diag dump described
 * (SOCK_DIAG_BY_FAMILY + struct netlink_diag_msg + NETLINK_DIAG_*).
 *
 * @example
 * const socket = netlinkSocketMessage.decode(msg);
 */
export const netlinkSocketMessage: MessageDescription<NetlinkSocket> = describeMessage<NetlinkSocket>('SOCK_DIAG_BY_FAMILY (netlink)',
  struct('struct netlink_diag_msg', NETLINK_DIAG_MSG_SIZE, {
    kind: [0, preset('netlink')], type: [1, u8], protocol: [2, u8], state: [3, u8], portid: [4, u32],
    dstPortid: [8, u32], dstGroup: [12, u32], inode: [16, u32], cookie: [20, u64],
  }),
  attributeSet('NETLINK_DIAG', {
    skmeminfo: attr(NETLINK_DIAG_MEMINFO, skMeminfo),
    groups: attr(NETLINK_DIAG_GROUPS, groupBitmap),
    rxRing: attr(NETLINK_DIAG_RX_RING, ring),
    txRing: attr(NETLINK_DIAG_TX_RING, ring),
    flags: attr(NETLINK_DIAG_FLAGS, u32),
  }, { context: ['netlink socket'] }));

const netlinkDiagRequestMessage = describeMessage<Record<string, unknown>>('netlink_diag_req',
  struct('struct netlink_diag_req', NETLINK_DIAG_REQ_SIZE, { family: [0, u8], protocol: [1, u8], show: [8, u32] }),
  attributeSet('netlink_diag_req', {}));

/**
 * netlinkDiagRequest builds the dump request of netlink sockets of one
 * netlink protocol (default every one: NDIAG_PROTO_ALL), with their memory,
 * groups and flags.
 *
 * @example
 * dump(netlinkDiagRequest());
 */
export function netlinkDiagRequest(protocol: number = NDIAG_PROTO_ALL): DumpRequest {
  const payload = netlinkDiagRequestMessage.encode({
    family: AF_NETLINK, protocol, show: NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS | NDIAG_SHOW_FLAGS,
  });
  return { protocol: NETLINK_SOCK_DIAG, type: SOCK_DIAG_BY_FAMILY, payload };
}
