/**
 * One netlink socket as one line of iproute2's `ss` (6.1, its
 * netlink_show_one): `nl`, always `UNCONN`, the queues from the socket's
 * memory, `protocol:owner` as the local address — the owner a process name
 * and pid read from /proc, `kernel` for port id 0, else the port id — and
 * `group:portid` of the peer when connected, `*` when not.
 */
import { readFileSync } from 'node:fs';
import type { NetlinkSocket } from '../sockdiag/socket.js';
import type { SsRow } from './ss-columns.js';
import { ssQueue, ssSkmem } from './ss-format.js';
import type { SsOptions } from './ss-options.js';

/** nl_proto_n2a()'s table (iproute2's nl_protos). */
const NETLINK_PROTOCOLS: Readonly<Record<number, string>> = {
  0: 'rtnl', 1: 'unused', 2: 'usersock', 3: 'fw', 4: 'tcpdiag', 5: 'nflog', 6: 'xfrm', 7: 'selinux', 8: 'iscsi',
  9: 'audit', 10: 'fiblookup', 11: 'connector', 12: 'nft', 13: 'ip6fw', 14: 'dec-rt', 15: 'uevent', 16: 'genl',
  18: 'scsi-trans', 19: 'ecryptfs', 20: 'rdma', 21: 'crypto',
};
const NETLINK_CONNECTED = 1;

/**
 * netlinkProtocolId is nl_proto_a2n(): a netlink protocol by name, or a
 * number up to 255 in C syntax; undefined when it is neither.
 *
 * @example
 * netlinkProtocolId('genl'); // 16
 */
export function netlinkProtocolId(text: string): number | undefined {
  for (const [id, name] of Object.entries(NETLINK_PROTOCOLS)) if (name === text) return Number(id);
  const match = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text.trim());
  if (!match) return undefined;
  const value = /^0[xX]/.test(match[1]) ? parseInt(match[1].slice(2), 16) : match[1].length > 1 && match[1][0] === '0'
    ? parseInt(match[1], 8) : parseInt(match[1], 10);
  return value <= 255 ? value : undefined;
}

/** What a netlink line needs besides the socket and the options. */
export interface SsNetlinkContext {
  /** The command name of a process (`/proc/<pid>/stat`), or undefined when there is none. */
  command(pid: number): string | undefined;
}

/**
 * procCommand reads a process's command name as ss does (`%*d (%[^)])` of
 * `/proc/<pid>/stat`: cut at the first `)`), or undefined when there is no
 * such process.
 *
 * @example
 * procCommand(1); // 'systemd'
 */
export function procCommand(pid: number, procRoot = '/proc'): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`${procRoot}/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const match = /^\s*-?\d+ \(([^)]+)/.exec(stat);
  return match ? match[1] : undefined;
}

/**
 * ssNetlinkRow is a netlink socket's line as ss prints it.
 *
 * @example
 * const row = ssNetlinkRow(socket, options, { command: (pid) => procCommand(pid) }); // { netid: 'nl', addr: 'rtnl:', port: 'ip/1234', … }
 */
export function ssNetlinkRow(socket: NetlinkSocket, options: Pick<SsOptions, 'numeric' | 'details' | 'memory'>,
  context: SsNetlinkContext): SsRow {
  // ss keeps port ids in an int: the kernel's negative ones print signed.
  const pid = socket.portid | 0;
  let owner: string;
  if (pid === -1) owner = '*';
  else if (options.numeric || pid < 0) owner = String(pid);
  else if (pid === 0) owner = 'kernel';
  else {
    const command = context.command(pid);
    owner = command === undefined ? String(pid) : `${command}/${pid}`;
  }
  const connected = socket.state === NETLINK_CONNECTED;
  let process = '';
  if (options.details) {
    // ss reads the first word of the group bitmap into an unsigned int: groups 1…32.
    let groups = 0;
    for (const group of socket.groups ?? []) if (group <= 32) groups |= 1 << (group - 1);
    process += ` sk=0 cb=0 groups=0x${(groups >>> 0).toString(16).padStart(8, '0')}`;
  }
  if (options.memory && socket.skmeminfo) process += `\t${ssSkmem(socket.skmeminfo)}`;
  return {
    netid: 'nl',
    state: 'UNCONN',
    recvq: ssQueue(socket.skmeminfo?.rmemAlloc),
    sendq: ssQueue(socket.skmeminfo?.wmemAlloc),
    addr: `${options.numeric ? socket.protocol : NETLINK_PROTOCOLS[socket.protocol] ?? socket.protocol}:`,
    port: owner,
    peer: connected ? `${socket.dstGroup | 0}:` : '*',
    peerPort: connected ? String(socket.dstPortid | 0) : '',
    process,
  };
}
