/**
 * Peer namespace ids (RTM_GETNSID / RTM_NEWNSID, <linux/net_namespace.h>):
 * struct rtgenmsg and the NETNSA_* attributes, described; the dump request,
 * the single query for one namespace, and the decoder.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { s32, u8 } from '../codec/attribute-type.js';
import { struct } from '../codec/compile-decoder.js';
import { NETLINK_ROUTE, type NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';

/** `RTM_NEWNSID` (linux/rtnetlink.h): an nsid, in a dump or as the answer to RTM_GETNSID. */
export const RTM_NEWNSID = 88;
/** `RTM_DELNSID` (linux/rtnetlink.h). */
export const RTM_DELNSID = 89;
/** `RTM_GETNSID` (linux/rtnetlink.h). */
export const RTM_GETNSID = 90;
/** `sizeof(struct rtgenmsg)`: one byte, `rtgen_family`; attributes follow at NLMSG_ALIGN(1) = 4. */
export const RTGENMSG_SIZE = 1;
/** `NETNSA_NSID_NOT_ASSIGNED` (linux/net_namespace.h): the peer has no id in this namespace. */
export const NETNSA_NSID_NOT_ASSIGNED = -1;
/** `NETNSA_NONE` (linux/net_namespace.h). */
export const NETNSA_NONE = 0;
/** `NETNSA_NSID`: the id (s32). */
export const NETNSA_NSID = 1;
/** `NETNSA_PID`: the namespace asked about, as a process id of it (u32). */
export const NETNSA_PID = 2;
/** `NETNSA_FD`: the namespace asked about, as a file descriptor of the asking process (u32). */
export const NETNSA_FD = 3;
/** `NETNSA_TARGET_NSID`: answer as seen from the namespace with this id (s32). */
export const NETNSA_TARGET_NSID = 4;
/** `NETNSA_CURRENT_NSID`: the id of the asking namespace in the target namespace (s32). */
export const NETNSA_CURRENT_NSID = 5;

/** One peer namespace id, as RTM_NEWNSID carries it. */
export interface Nsid {
  /** rtgen_family (AF_UNSPEC). */
  family: number;
  /** NETNSA_NSID: the id; `NETNSA_NSID_NOT_ASSIGNED` (-1) when the peer has none. */
  nsid?: number;
  /** NETNSA_CURRENT_NSID: with a target namespace, the asking namespace's id there. */
  currentNsid?: number;
  /** NETNSA_PID, NETNSA_FD, NETNSA_TARGET_NSID: what a request asks about (requests only). */
  pid?: number;
  fd?: number;
  targetNsid?: number;
  /** Attributes this version does not know. */
  unknown?: RawAttribute[] | undefined;
  /** Malformed attributes, skipped. */
  problems?: NetlinkDecodeError[] | undefined;
}

/** struct rtgenmsg (<linux/rtnetlink.h>). */
const rtgenmsg = struct('struct rtgenmsg', RTGENMSG_SIZE, { family: [0, u8] });

/** The NETNSA_* attributes (linux/net_namespace.h). */
const nsidAttributes = attributeSet('NETNSA', {
  nsid: attr(NETNSA_NSID, s32),
  pid: attr(NETNSA_PID, s32),
  fd: attr(NETNSA_FD, s32),
  targetNsid: attr(NETNSA_TARGET_NSID, s32),
  currentNsid: attr(NETNSA_CURRENT_NSID, s32),
});

/**
 * nsidMessage is RTM_NEWNSID (and RTM_GETNSID) described: struct rtgenmsg and
 * the NETNSA_* attributes. Its `decode` is `decodeNsid`; its `encode` writes
 * requests.
 *
 * @example
 * const payload = nsidMessage.encode({ family: 0 }, { fd: 7 }); // RTM_GETNSID for the namespace behind fd 7
 */
export const nsidMessage: MessageDescription<Nsid> = describeMessage<Nsid>('RTM_NEWNSID', rtgenmsg, nsidAttributes);

/**
 * nsidRequest is the RTM_GETNSID dump: every id this namespace gave a peer.
 *
 * @example
 * dump(nsidRequest()).pipe(map(decodeNsid));
 */
export function nsidRequest(): DumpRequest {
  return { protocol: NETLINK_ROUTE, type: RTM_GETNSID, payload: nsidMessage.encode({ family: 0 }) };
}

/**
 * nsidQuery is the payload of one RTM_GETNSID (NLM_F_REQUEST alone) asking
 * for the id of the namespace behind file descriptor `fd`: the kernel answers
 * with one RTM_NEWNSID (`NETNSA_NSID_NOT_ASSIGNED` when there is none), or an
 * NLMSG_ERROR. The kernel resolves the fd while handling send(), so it may be
 * closed right after.
 *
 * @example
 * w.begin({ type: RTM_GETNSID, flags: NLM_F_REQUEST, seq });
 * const query = nsidQuery(fd);
 * w.struct(query.length).set(query);
 */
export function nsidQuery(fd: number): Uint8Array {
  return nsidMessage.encode({ family: 0 }, { fd });
}

/**
 * decodeNsid decodes an RTM_NEWNSID (or RTM_DELNSID) message. Only a message
 * without its struct rtgenmsg throws (`NetlinkDecodeError`).
 *
 * @example
 * decodeNsid(msg).nsid; // 0
 */
export function decodeNsid(msg: NetlinkMessage): Nsid {
  return nsidMessage.decode(msg);
}

/**
 * nsidSelector decodes the RTM_NEWNSID messages of a dump, and skips the rest.
 * `NLM_F_DUMP_FILTERED` is not looked at: the dump has no filter.
 *
 * @example
 * forEachDumpBatch(nsidRequest(), (batch) => { for (const msg of batch) console.log(nsidSelector(msg)?.nsid); });
 */
export function nsidSelector(msg: NetlinkMessage): Nsid | undefined {
  return msg.type === RTM_NEWNSID ? decodeNsid(msg) : undefined;
}
