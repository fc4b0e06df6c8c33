/**
 * The names `ip` gives to peer namespaces: plain `ip link show` prints
 * `link-netns NAME` instead of `link-netnsid N` when nsid N is a namespace
 * named in /run/netns (iproute2's netns_map_init / get_name_from_nsid).
 */
import { closeSync, opendirSync, openSync } from 'node:fs';
import { AttributeCursor, MessageWriter } from '../codec/attributes.js';
import { NLM_F_REQUEST, NETLINK_ROUTE } from '../codec/header.js';
import { payloadOffset, splitMessages } from '../codec/message.js';
import { NetlinkSocket } from '../transport/netlink-socket.js';

/** `RTM_NEWNSID = 88` (linux/rtnetlink.h): the kernel's reply to RTM_GETNSID. */
const RTM_NEWNSID = 88;
/** `RTM_GETNSID = 90` (linux/rtnetlink.h). */
const RTM_GETNSID = 90;
/** `NETNSA_NSID` (linux/net_namespace.h): the id, `NETNSA_NSID_NOT_ASSIGNED` (-1) when there is none. */
const NETNSA_NSID = 1;
/** `NETNSA_FD` (linux/net_namespace.h): the namespace asked about, as a file descriptor of this process. */
const NETNSA_FD = 3;
/** `struct rtgenmsg { unsigned char rtgen_family; }`, padded to 4 bytes. */
const RTGENMSG_SIZE = 1;
/** Where `ip netns` binds the namespaces it names. */
const NETNS_RUN_DIR = '/run/netns';

/**
 * netnsNames maps the nsids that namespace `netns` (the caller's own when
 * undefined) has given to peer namespaces onto their names in /run/netns,
 * as ip does: for each file there, one RTM_GETNSID with NETNSA_FD asked on a
 * route socket in `netns`. Files that do not open, are not namespaces, or
 * have no nsid in `netns` are left out; so is everything when /run/netns
 * does not exist. When two names share an nsid, the later one in directory
 * order wins, as in ip's map.
 *
 * @example
 * const names = await netnsNames('blue');
 * names.get(0); // 'red', when blue's veth peer lives in /run/netns/red
 */
export async function netnsNames(netns?: string): Promise<Map<number, string>> {
  const names = namespaceFiles();
  const byNsid = new Map<number, string>();
  if (names.length === 0) return byNsid;
  const socket = new NetlinkSocket(NETLINK_ROUTE, { netns });
  try {
    /** The name each pending request's `nlmsg_seq` asks about. */
    const pending = new Map<number, string>();
    for (const [i, name] of names.entries()) {
      const seq = i + 1;
      let fd: number;
      try {
        fd = openSync(`${NETNS_RUN_DIR}/${name}`, 'r');
      } catch {
        continue;
      }
      try {
        // The kernel resolves NETNSA_FD while handling send(): the fd may close right after.
        socket.send(nsidRequest(fd, seq));
      } finally {
        closeSync(fd);
      }
      pending.set(seq, name);
    }
    const answers = new Map<number, number>();
    while (answers.size < pending.size) {
      const { messages, error } = splitMessages(await socket.read());
      for (const msg of messages) {
        if (msg.pid !== socket.portId || !pending.has(msg.seq) || answers.has(msg.seq)) continue;
        answers.set(msg.seq, msg.type === RTM_NEWNSID ? replyNsid(msg.data, payloadOffset(msg), msg.offset + msg.length) : -1);
      }
      if (error) throw error;
    }
    // Request order is directory order: a later name overwrites an earlier one.
    for (const [seq, name] of pending) {
      const nsid = answers.get(seq) ?? -1;
      if (nsid >= 0) byNsid.set(nsid, name);
    }
  } finally {
    socket.close();
  }
  return byNsid;
}

/** The entries of /run/netns in the order readdir gives them (ip's order), without `.` and `..`. */
function namespaceFiles(): string[] {
  const names: string[] = [];
  let dir;
  try {
    dir = opendirSync(NETNS_RUN_DIR);
  } catch {
    return names;
  }
  try {
    for (let entry = dir.readSync(); entry; entry = dir.readSync()) names.push(entry.name);
  } finally {
    dir.closeSync();
  }
  return names;
}

/** RTM_GETNSID for the namespace behind `fd`: NLM_F_REQUEST alone, one reply (RTM_NEWNSID or NLMSG_ERROR). */
function nsidRequest(fd: number, seq: number): Buffer {
  const w = new MessageWriter(32);
  w.begin({ type: RTM_GETNSID, flags: NLM_F_REQUEST, seq });
  w.struct(RTGENMSG_SIZE); // rtgen_family = AF_UNSPEC
  w.u32(NETNSA_FD, fd);
  return w.end();
}

/** NETNSA_NSID of an RTM_NEWNSID reply whose payload runs from `start` to `end`; -1 without one. */
function replyNsid(data: Buffer, start: number, end: number): number {
  const cursor = new AttributeCursor(data, start + 4, end, ['RTM_NEWNSID']);
  while (cursor.next()) if (cursor.type === NETNSA_NSID) return cursor.s32();
  return -1;
}
