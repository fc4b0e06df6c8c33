/**
 * UNIX sockets over sock_diag: struct unix_diag_req (the dump request) and
 * struct unix_diag_msg + UNIX_DIAG_* (each reply), described; the typed
 * object `UnixSocket`.
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
  SOCK_DIAG_BY_FAMILY, TCPF_ALL, UDIAG_SHOW_ICONS, UDIAG_SHOW_MEMINFO, UDIAG_SHOW_NAME, UDIAG_SHOW_PEER,
  UDIAG_SHOW_RQLEN, UDIAG_SHOW_UID, UDIAG_SHOW_VFS, UNIX_DIAG_ICONS, UNIX_DIAG_MEMINFO, UNIX_DIAG_MSG_SIZE,
  UNIX_DIAG_NAME, UNIX_DIAG_PEER, UNIX_DIAG_REQ_SIZE, UNIX_DIAG_RQLEN, UNIX_DIAG_SHUTDOWN, UNIX_DIAG_UID,
  UNIX_DIAG_VFS,
} from './sockdiag-constants.js';

// AF_UNIX is route's constant; families do not import one another.
const AF_UNIX = 1;

/**
 * UnixSocket is one UNIX socket as sock_diag reports it. `type` is
 * SOCK_STREAM (1), SOCK_DGRAM (2) or SOCK_SEQPACKET (5); `state` a TCP_*
 * state (TCP_LISTEN, TCP_ESTABLISHED, TCP_CLOSE …). `name` is the bound
 * address as `ss` prints it: a path, or an abstract name with its NULs as
 * '@' (so it starts with '@'). `peer` is the peer's inode; for a listening
 * socket `rqueue` is its accept queue and `wqueue` its backlog, else the
 * bytes queued (UNIX_DIAG_RQLEN).
 *
 * @example
 * sockets({ family: 'unix' }).subscribe((s) => { if (s.kind === 'unix') console.log(s.inode, s.name ?? '*', s.peer); });
 */
export interface UnixSocket {
  kind: 'unix';
  type: number;
  state: number;
  inode: number;
  cookie: bigint;
  name?: string;
  /** UNIX_DIAG_VFS: the bound file's inode and device. */
  vfs?: { ino: number; dev: number };
  peer?: number;
  /** UNIX_DIAG_ICONS: the inodes of connections waiting to be accepted. */
  icons?: number[];
  rqueue?: number;
  wqueue?: number;
  skmeminfo?: SkMeminfo;
  shutdown?: number;
  uid?: number;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/** UNIX_DIAG_NAME: sun_path without its length; abstract names (leading NUL) with every NUL as '@', as ss prints them. */
const unixName = custom<string>('sun_path', (d, off, n) => {
  if (n > 0 && d[off] === 0) {
    const bytes = Buffer.from(d.subarray(off, off + n));
    for (let i = 0; i < n; i++) if (bytes[i] === 0) bytes[i] = 0x40;
    return bytes.toString('utf8');
  }
  const nul = d.indexOf(0, off);
  return d.toString('utf8', off, nul >= off && nul < off + n ? nul : off + n);
});

/** UNIX_DIAG_ICONS: a u32 inode per pending connection. */
const inodeList = custom<number[]>('u32[]', (d, off, n) => {
  const list: number[] = [];
  for (let at = off; at + 4 <= off + n; at += 4) list.push(d.readUInt32LE(at));
  return list;
});

/** UNIX_DIAG_RQLEN (struct unix_diag_rqlen): rqueue is the attribute's value, wqueue goes beside it. */
const rqlen = custom<number>('struct unix_diag_rqlen', (d, off, _n, target) => {
  target.wqueue = d.readUInt32LE(off + 4);
  return d.readUInt32LE(off);
}, { size: 8 });

/**
 * unixSocketMessage is the reply of a unix_diag dump described
 * (SOCK_DIAG_BY_FAMILY + struct unix_diag_msg + UNIX_DIAG_*).
 *
 * @example
 * const socket = unixSocketMessage.decode(msg);
 */
export const unixSocketMessage: MessageDescription<UnixSocket> = describeMessage<UnixSocket>('SOCK_DIAG_BY_FAMILY (unix)',
  struct('struct unix_diag_msg', UNIX_DIAG_MSG_SIZE, {
    kind: [0, preset('unix')], type: [1, u8], state: [2, u8], inode: [4, u32], cookie: [8, u64],
  }),
  attributeSet('UNIX_DIAG', {
    name: attr(UNIX_DIAG_NAME, unixName),
    vfs: attr(UNIX_DIAG_VFS, structOf(struct('struct unix_diag_vfs', 8, { ino: [0, u32], dev: [4, u32] }))),
    peer: attr(UNIX_DIAG_PEER, u32),
    icons: attr(UNIX_DIAG_ICONS, inodeList),
    rqueue: attr(UNIX_DIAG_RQLEN, rqlen),
    skmeminfo: attr(UNIX_DIAG_MEMINFO, skMeminfo),
    shutdown: attr(UNIX_DIAG_SHUTDOWN, u8),
    uid: attr(UNIX_DIAG_UID, u32),
  }, { context: ['unix socket'] }));

/** Every UDIAG_SHOW_* flag: what the kernel can say about a UNIX socket. */
export const UDIAG_SHOW_ALL = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN
  | UDIAG_SHOW_MEMINFO | UDIAG_SHOW_UID;

const unixDiagRequestMessage = describeMessage<Record<string, unknown>>('unix_diag_req',
  struct('struct unix_diag_req', UNIX_DIAG_REQ_SIZE, { family: [0, u8], protocol: [1, u8], states: [4, u32], show: [12, u32] }),
  attributeSet('unix_diag_req', {}));

/**
 * unixDiagRequest builds the dump request of UNIX sockets: `states` a mask
 * of TCP_* states (default every one), `show` UDIAG_SHOW_* flags (default
 * every one).
 *
 * @example
 * dump(unixDiagRequest(1 << TCP_LISTEN));
 */
export function unixDiagRequest(states: number = TCPF_ALL, show: number = UDIAG_SHOW_ALL): DumpRequest {
  const payload = unixDiagRequestMessage.encode({ family: AF_UNIX, protocol: 0, states, show });
  return { protocol: NETLINK_SOCK_DIAG, type: SOCK_DIAG_BY_FAMILY, payload };
}
