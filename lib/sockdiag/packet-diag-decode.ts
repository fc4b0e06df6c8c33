/**
 * Packet sockets over sock_diag: struct packet_diag_req (the dump request)
 * and struct packet_diag_msg + PACKET_DIAG_* (each reply), described; the
 * typed object `PacketSocket` (what `ss -0` lists).
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { binary, custom, preset, structOf, u16, u32, u64, u8 } from '../codec/attribute-type.js';
import { hexColonText } from '../codec/address-text.js';
import { struct } from '../codec/compile-decoder.js';
import { NETLINK_SOCK_DIAG } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { skMeminfo, type SkMeminfo } from './sk-meminfo-info.js';
import {
  PACKET_DIAG_FANOUT, PACKET_DIAG_FILTER, PACKET_DIAG_INFO, PACKET_DIAG_MCLIST, PACKET_DIAG_MEMINFO,
  PACKET_DIAG_MSG_SIZE, PACKET_DIAG_REQ_SIZE, PACKET_DIAG_RX_RING, PACKET_DIAG_TX_RING, PACKET_DIAG_UID,
  PACKET_SHOW_FANOUT, PACKET_SHOW_FILTER, PACKET_SHOW_INFO, PACKET_SHOW_MCLIST, PACKET_SHOW_MEMINFO,
  PACKET_SHOW_RING_CFG, SOCK_DIAG_BY_FAMILY,
} from './sockdiag-constants.js';

// AF_PACKET is route's constant; families do not import one another.
const AF_PACKET = 17;

/** PACKET_DIAG_INFO (struct packet_diag_info): the bound interface, TPACKET version, PDI_* flags. */
export interface PacketDiagInfo { index: number; version: number; reserve: number; copyThresh: number; tstamp: number; flags: number }
/** One PACKET_DIAG_MCLIST entry (struct packet_diag_mclist). */
export interface PacketDiagMclist { index: number; count: number; type: number; address: string }
/** PACKET_DIAG_RX_RING / _TX_RING (struct packet_diag_ring). */
export interface PacketDiagRing {
  blockSize: number; blockNr: number; frameSize: number; frameNr: number; retireTmo: number; sizeofPriv: number; features: number;
}

/**
 * PacketSocket is one AF_PACKET socket: `type` SOCK_RAW or SOCK_DGRAM,
 * `protocol` the ethertype it receives (host order: ETH_P_ALL is 3), `info`
 * its interface and flags, `filter` its classic BPF program (struct
 * sock_filter[] as bytes).
 *
 * @example
 * sockets({ family: 'packet' }).subscribe((s) => { if (s.kind === 'packet') console.log(s.protocol, s.info?.index); });
 */
export interface PacketSocket {
  kind: 'packet';
  type: number;
  protocol: number;
  inode: number;
  cookie: bigint;
  info?: PacketDiagInfo;
  mclist?: PacketDiagMclist[];
  rxRing?: PacketDiagRing;
  txRing?: PacketDiagRing;
  /** PACKET_DIAG_FANOUT: the fanout group id (low 16 bits) and mode/flags (high 16). */
  fanout?: number;
  uid?: number;
  skmeminfo?: SkMeminfo;
  filter?: Uint8Array;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/** struct packet_diag_mclist: index, count, type, address length, then 32 address bytes. */
const MCLIST_SIZE = 44;
const mclist = custom<PacketDiagMclist[]>('struct packet_diag_mclist[]', (d, off, n) => {
  const list: PacketDiagMclist[] = [];
  for (let at = off; at + MCLIST_SIZE <= off + n; at += MCLIST_SIZE) {
    const alen = Math.min(d.readUInt16LE(at + 10), 32);
    list.push({ index: d.readUInt32LE(at), count: d.readUInt32LE(at + 4), type: d.readUInt16LE(at + 8), address: hexColonText(d, at + 12, alen) });
  }
  return list;
});

const ring = structOf<PacketDiagRing>(struct('struct packet_diag_ring', 28, {
  blockSize: [0, u32], blockNr: [4, u32], frameSize: [8, u32], frameNr: [12, u32], retireTmo: [16, u32],
  sizeofPriv: [20, u32], features: [24, u32],
}));

/**
 * packetSocketMessage is the reply of a packet_diag dump described
 * (SOCK_DIAG_BY_FAMILY + struct packet_diag_msg + PACKET_DIAG_*).
 *
 * @example
 * const socket = packetSocketMessage.decode(msg);
 */
export const packetSocketMessage: MessageDescription<PacketSocket> = describeMessage<PacketSocket>('SOCK_DIAG_BY_FAMILY (packet)',
  struct('struct packet_diag_msg', PACKET_DIAG_MSG_SIZE, {
    kind: [0, preset('packet')], type: [1, u8], protocol: [2, u16], inode: [4, u32], cookie: [8, u64],
  }),
  attributeSet('PACKET_DIAG', {
    info: attr(PACKET_DIAG_INFO, structOf(struct('struct packet_diag_info', 24, {
      index: [0, u32], version: [4, u32], reserve: [8, u32], copyThresh: [12, u32], tstamp: [16, u32], flags: [20, u32],
    }))),
    mclist: attr(PACKET_DIAG_MCLIST, mclist),
    rxRing: attr(PACKET_DIAG_RX_RING, ring),
    txRing: attr(PACKET_DIAG_TX_RING, ring),
    fanout: attr(PACKET_DIAG_FANOUT, u32),
    uid: attr(PACKET_DIAG_UID, u32),
    skmeminfo: attr(PACKET_DIAG_MEMINFO, skMeminfo),
    filter: attr(PACKET_DIAG_FILTER, binary),
  }, { context: ['packet socket'] }));

const packetDiagRequestMessage = describeMessage<Record<string, unknown>>('packet_diag_req',
  struct('struct packet_diag_req', PACKET_DIAG_REQ_SIZE, { family: [0, u8], protocol: [1, u8], show: [8, u32] }),
  attributeSet('packet_diag_req', {}));

/**
 * packetDiagRequest builds the dump request of packet sockets, with every
 * PACKET_SHOW_* part (sdiag_protocol must be 0: packet_diag refuses others).
 *
 * @example
 * dump(packetDiagRequest());
 */
export function packetDiagRequest(): DumpRequest {
  const show = PACKET_SHOW_INFO | PACKET_SHOW_MCLIST | PACKET_SHOW_RING_CFG | PACKET_SHOW_FANOUT | PACKET_SHOW_MEMINFO
    | PACKET_SHOW_FILTER;
  const payload = packetDiagRequestMessage.encode({ family: AF_PACKET, protocol: 0, show });
  return { protocol: NETLINK_SOCK_DIAG, type: SOCK_DIAG_BY_FAMILY, payload };
}
