/**
 * `nlrx [-n NETNS] ss [-t] [-u] [-w] [-x] [-l] [-a] [-n] [-e] [-m] [-i] [-p]
 * [-H] [-O] [-4] [-6] [state STATE] [FILTER]`: sockets as iproute2's `ss`
 * (6.1) prints them on a pipe — the same sockets (ss's table, family and
 * state rules, its filter language), in the same order (ss's order of
 * tables, IPv4 before IPv6, the kernel's order within a dump), in the same
 * columns and words.
 *
 * `-j` prints netlink-rx's own JSON instead (ss has none): one object a
 * line, each socket as the library decodes it (`kind`, `family`, `protocol`,
 * `state`, `src`, `srcPort` … for inet; `type`, `name`, `peer` … for UNIX),
 * 64-bit numbers as decimal strings, bytes as hex, and with `-p` an `owners`
 * array of `{ pid, command, fd }`.
 *
 * Netlink and packet sockets come first, as in ss (`-A netlink`, `-0`,
 * `-f link`, and in `-a`); `-s` prints ss's summary from the namespace's
 * /proc/net/sockstat, sockstat6 and snmp. Where the kernel has no handler,
 * nlrx falls back as ss does: raw sockets from /proc/net/raw and raw6, DCCP
 * through the old DCCPDIAG_GETSOCK request (whose refusal ss reports).
 *
 * Beyond ss: duplicates a resumed dump can deliver are dropped (by cookie).
 * Not shown: DCCP, VSOCK, TIPC and XDP sockets, `--tos`, `--cgroup`, `-b`,
 * `-K`, `-E`, `-F`, `-D`, `-Z`.
 */
import { UsageError, type CliContext } from '../cli-context.js';
import { linkNames, type LinkNames } from '../link-names.js';
import { TextWriter } from '../object-output.js';
import { NetlinkError, NetlinkKernelError } from '../../errors.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { socketSelector } from '../../sockdiag/socket-selector.js';
import { socketQueryMessage, socketQueryRequest, type SocketQuery } from '../../sockdiag/socket-query.js';
import { SOCK_DIAG_BY_FAMILY } from '../../sockdiag/sockdiag-constants.js';
import { NETLINK_SOCK_DIAG, type NetlinkMessage } from '../../codec/header.js';
import { matchSocket, type SocketFilter } from '../../sockdiag/socket-filter.js';
import { compileSocketFilter } from '../../sockdiag/filter-bytecode.js';
import { socketOwners } from '../../sockdiag/socket-owners.js';
import type { Socket } from '../../sockdiag/socket.js';
import { SsTableWriter, type SsColumn } from '../ss-columns.js';
import { ssCgroups } from '../ss-cgroups.js';
import { addressBytes16, matchSsFilter, type SsMatchContext, type SsMatchSocket } from '../ss-filter-match.js';
import { parseSsFilter, type SsExpression } from '../ss-filter-parse.js';
import { ssInetRow, ssUnixRow, type SsLineContext } from '../ss-format.js';
import { procCommand, ssNetlinkRow } from '../ss-netlink-format.js';
import { ssPacketRow } from '../ss-packet-format.js';
import { readSsProcNet, ssSummary } from '../ss-summary.js';
import { readProcNet } from '../ss-proc-net.js';
import { procInetSockets } from '../ss-proc-sockets.js';
import {
  AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX, onlyFamily, parseSsArguments, showsFamily, singleBit, SS_USAGE, SsTable, type SsOptions,
} from '../ss-options.js';
import { ssServices } from '../ss-services.js';
import { ssSocketCondition } from '../ss-socket-condition.js';

const IPPROTO = { tcp: 6, udp: 17, raw: 255, dccp: 33, sctp: 132, mptcp: 262 } as const;
/** inet_diag's compat request for DCCP (<linux/inet_diag.h>), and its struct inet_diag_req's size. */
const DCCPDIAG_GETSOCK = 19;
const INET_DIAG_REQ_SIZE = 60;
// idiag_ext bits: INET_DIAG_x is bit x - 1 (<linux/inet_diag.h>).
const EXT_MEMORY = (1 << (1 - 1)) | (1 << (7 - 1)); // MEMINFO, SKMEMINFO
const EXT_INFO = (1 << (2 - 1)) | (1 << (3 - 1)) | (1 << (4 - 1)); // INFO, VEGASINFO, CONG
const UNIX_TYPES: Readonly<Record<number, number>> = { 1: SsTable.unixStream, 2: SsTable.unixDgram, 5: SsTable.unixSeqpacket };

/** The inet tables in the order ss dumps them, with the service protocol ss names their ports by. */
const INET_TABLES: ReadonlyArray<readonly [table: number, protocol: number, services: string | undefined]> = [
  [SsTable.raw, IPPROTO.raw, 'raw'], [SsTable.udp, IPPROTO.udp, 'udp'], [SsTable.tcp, IPPROTO.tcp, 'tcp'],
  [SsTable.dccp, IPPROTO.dccp, 'dccp'], [SsTable.sctp, IPPROTO.sctp, undefined], [SsTable.mptcp, IPPROTO.mptcp, undefined],
];

/** The `dev` names of an expression. */
function devices(expression: SsExpression | undefined, out: string[] = []): string[] {
  if (!expression) return out;
  if (expression.kind === 'dev') out.push(expression.device);
  else if (expression.kind === 'and' || expression.kind === 'or') {
    devices(expression.left, out);
    devices(expression.right, out);
  } else if (expression.kind === 'not') devices(expression.of, out);
  return out;
}

/** What ss's filter sees of a socket. */
function matchView(socket: Socket): SsMatchSocket {
  if (socket.kind === 'unix') {
    const none = new Uint8Array(16);
    return { family: AF_UNIX, local: none, remote: none, localPort: socket.inode, remotePort: socket.peer ?? 0, ifindex: 0, mark: 0, name: socket.name };
  }
  if (socket.kind === 'netlink' || socket.kind === 'packet') {
    // ss's view: the protocol as the first address word; the port id (netlink) or interface (packet) as the local port.
    const local = new Uint8Array(16);
    new DataView(local.buffer).setUint32(0, socket.protocol, true);
    const netlink = socket.kind === 'netlink';
    const ifindex = netlink ? 0 : socket.info?.index ?? 0;
    return {
      family: netlink ? AF_NETLINK : AF_PACKET, local, remote: new Uint8Array(16),
      localPort: netlink ? socket.portid | 0 : ifindex, remotePort: netlink ? -1 : 0, ifindex, mark: 0,
    };
  }
  return {
    family: socket.family, local: addressBytes16(socket.src, socket.family), remote: addressBytes16(socket.dst, socket.family),
    localPort: socket.srcPort, remotePort: socket.dstPort, ifindex: socket.ifindex, mark: socket.mark ?? 0,
  };
}

/** JSON with 64-bit numbers as decimal strings and bytes as hex. */
function socketJson(socket: Socket, owners: unknown): string {
  return JSON.stringify(owners === undefined ? socket : { ...socket, owners }, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
    if (value instanceof Error) return { code: (value as NetlinkError).code, message: value.message };
    return value;
  });
}

/** strerror(3) of the refusals a sock_diag dump can get. */
const STRERROR: Readonly<Record<string, string>> = {
  EINVAL: 'Invalid argument', EPERM: 'Operation not permitted', EACCES: 'Permission denied',
  EPROTONOSUPPORT: 'Protocol not supported', EAFNOSUPPORT: 'Address family not supported by protocol',
};

/** The kernel's answer when it has no handler for a dump: ss says nothing and shows nothing. */
const unavailable = (error: unknown) => error instanceof NetlinkError && (error.code === 'ENOENT' || error.code === 'EOPNOTSUPP');

/**
 * run executes `nlrx ss <args>`.
 *
 * @example
 * await run(ctx, 'show', ['-tan', 'state', 'established']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help' || args.includes('-h') || args.includes('--help')) {
    ctx.write(`${SS_USAGE}\n`);
    return;
  }
  const family = ctx.family === 'inet' ? ['-4'] : ctx.family === 'inet6' ? ['-6'] : [];
  const options = parseSsArguments([...family, ...args]);
  const netns = options.netns ?? ctx.netns;
  const warn = (text: string) => void process.stderr.write(text);
  // ss prints the summary before it looks at anything else, and before any socket of its own is open.
  if (options.summary) {
    ctx.write(ssSummary(await readSsProcNet(netns)));
    if (options.summaryOnly) return;
  }
  for (const [bits, what] of [[options.tables, 'socket tables'], [options.families, 'families'], [options.states, 'socket states']] as const) {
    if (bits === 0) {
      warn(`ss: no ${what} to show with such filter.\n`);
      return;
    }
  }
  const services = ssServices();
  const serviceProtocols = [...(options.tables & SsTable.udp ? ['udp'] : []), ...(options.tables & SsTable.tcp ? ['tcp'] : [])];
  let names: LinkNames | undefined;
  // A packet address may name an interface (`arp:eth0`): then, and only then, names are dumped before parsing
  // (the dump's route socket stays open, and would show among netlink sockets).
  let wantsNames = false;
  const parse = () => parseSsFilter(options.expression, {
    preferredFamily: options.preferredFamily,
    servicePort: (name) => services.port(name, serviceProtocols),
    onFamily: (af) => onlyFamily(options, af),
    interfaceIndex: (name) => {
      if (!names) wantsNames = true;
      return names?.index(name);
    },
  });
  let expression: SsExpression | undefined;
  try {
    expression = parse();
  } catch (error) {
    if (!wantsNames) throw error;
    names = await linkNames({ netns });
    expression = parse();
  }
  const showsInet = (options.tables & INET_TABLES.reduce((all, [t]) => all | t, 0)) !== 0 &&
    (showsFamily(options, AF_INET) || showsFamily(options, AF_INET6));
  const CLOSE = 1 << 7;
  const showsNetlink = (options.tables & SsTable.netlink) !== 0 && showsFamily(options, AF_NETLINK) && (options.states & CLOSE) !== 0;
  const showsPacket = (options.tables & (SsTable.packetRaw | SsTable.packetDgram)) !== 0 && showsFamily(options, AF_PACKET)
    && (options.states & CLOSE) !== 0;
  // Names are dumped after the netlink sockets (else the dump's own route socket would be listed), unless the filter needs them first.
  if (!names && devices(expression).length > 0) names = await linkNames({ netns });
  const deviceIndex = (name: string) => {
    const index = names?.index(name) ?? (/^\d+$/.test(name) ? Number(name) : 0);
    if (!index) throw new UsageError('Cannot parse device.', 1);
    return index;
  };
  for (const name of devices(expression)) deviceIndex(name);
  const matchContext: SsMatchContext = { deviceIndex, ephemeral: (port) => services.ephemeral(port) };
  const where = expression && ssSocketCondition(expression, deviceIndex);
  const owners = options.processes ? await socketOwners() : undefined;
  const cgroups = ssCgroups({ enteredNetns: netns !== undefined, warn });
  const line: SsLineContext = {
    services, owners, serviceProtocol: undefined,
    interfaceName: (ifindex) => names?.name(ifindex) ?? `if${ifindex}`,
    cgroupPath: (id) => cgroups.path(id),
  };

  const hidden = new Set<SsColumn>();
  if (singleBit(options.tables)) hidden.add('netid');
  if (singleBit(options.states)) hidden.add('state');
  const json = ctx.json ? new TextWriter(ctx.write) : undefined;
  const table = json ? undefined : new SsTableWriter(ctx.write, { header: options.header, hidden });
  const seen = new Set<bigint>();
  const commands = new Map<number, string | undefined>();
  const netlinkLine = {
    command: (pid: number) => {
      if (!commands.has(pid)) commands.set(pid, procCommand(pid));
      return commands.get(pid);
    },
  };
  const row = (socket: Socket) => {
    switch (socket.kind) {
      case 'unix': return ssUnixRow(socket, options, line);
      case 'inet': return ssInetRow(socket, options, line);
      case 'netlink': return ssNetlinkRow(socket, options, netlinkLine);
      default: return ssPacketRow(socket, options, line);
    }
  };
  const show = (socket: Socket) => {
    // ss shows only the UNIX socket types of the tables asked for (types it does not know, always).
    if (socket.kind === 'unix' && UNIX_TYPES[socket.type] !== undefined && !(options.tables & UNIX_TYPES[socket.type])) return;
    if (expression && !matchSsFilter(expression, matchView(socket), matchContext)) return;
    if (json) json.push(`${socketJson(socket, options.processes ? owners?.get(socket.inode) ?? [] : undefined)}\n`);
    else table?.push(row(socket));
  };
  /** A dump's sockets; with `duplicates` as the kernel sends them (ss shows a netlink socket listed twice twice). */
  /** Runs one dump; false when the kernel has no handler for it. */
  const dump = async (query: SocketQuery, filter: SocketFilter | undefined, duplicates = false): Promise<boolean> => {
    const description = socketQueryMessage(query);
    const select = duplicates
      ? (msg: NetlinkMessage) => (msg.type === SOCK_DIAG_BY_FAMILY ? description.decode(msg) : undefined)
      : socketSelector(query, filter && ((socket) => matchSocket(socket, filter)), seen);
    try {
      await forEachDumpBatch(socketQueryRequest(query), (batch) => {
        for (const msg of batch) {
          const socket = select(msg);
          if (socket) show(socket);
        }
      }, { netns, readAhead: 2 });
    } catch (error) {
      if (unavailable(error)) return false;
      if (error instanceof NetlinkKernelError) {
        // Other refusals ss reports as libnetlink does (perror), and goes on with the next table.
        warn(`RTNETLINK answers: ${STRERROR[error.code] ?? error.message}\n`);
        return true;
      }
      throw error;
    }
    return true;
  };
  /** ss's fallback when the kernel has no raw_diag: /proc/net/raw and raw6, which say less (no details, memory or timers). */
  const rawFromProc = async () => {
    const [raw, raw6] = await readProcNet(netns, ['raw', 'raw6']);
    const plain = { ...options, memory: false, info: false, timers: false, details: false };
    for (const [af, text] of [[AF_INET, raw], [AF_INET6, raw6]] as const) {
      if (!showsFamily(options, af)) continue;
      for (const socket of procInetSockets(text, af, IPPROTO.raw)) {
        if (!(options.states & (1 << socket.state))) continue;
        if (expression && !matchSsFilter(expression, matchView(socket), matchContext)) continue;
        if (json) json.push(`${socketJson(socket, options.processes ? owners?.get(socket.inode) ?? [] : undefined)}\n`);
        else table?.push(ssInetRow(socket, plain, line));
      }
    }
  };
  /** ss's fallback when sock_diag has no DCCP handler: the old DCCPDIAG_GETSOCK request (IPv4), its answer reported, then no more DCCP. */
  const dccpCompat = async () => {
    const payload = new Uint8Array(INET_DIAG_REQ_SIZE);
    payload[0] = AF_INET;
    new DataView(payload.buffer).setUint32(52, options.states, true);
    try {
      await forEachDumpBatch({ protocol: NETLINK_SOCK_DIAG, type: DCCPDIAG_GETSOCK, payload }, () => undefined, { netns });
    } catch (error) {
      if (unavailable(error)) return;
      if (error instanceof NetlinkKernelError) warn(`RTNETLINK answers: ${STRERROR[error.code] ?? error.message}\n`);
      else throw error;
    }
  };

  // ss's order: netlink, packet, UNIX, then the inet tables.
  if (showsNetlink) await dump({ family: AF_NETLINK, protocol: 0 }, undefined, true);
  if (!names && (showsInet || showsPacket)) names = await linkNames({ netns });
  if (showsPacket) await dump({ family: AF_PACKET, protocol: 0 }, undefined);
  if (options.tables & (SsTable.unixStream | SsTable.unixDgram | SsTable.unixSeqpacket) && showsFamily(options, AF_UNIX)) {
    await dump({ family: AF_UNIX, protocol: 0, states: options.states }, {
      family: 'unix', states: [...Array(12).keys()].filter((s) => options.states & (1 << s)),
    });
  }
  for (const [table, protocol, serviceProtocol] of INET_TABLES) {
    if (!(options.tables & table) || !(showsFamily(options, AF_INET) || showsFamily(options, AF_INET6))) continue;
    if (serviceProtocol !== undefined) line.serviceProtocol = serviceProtocol;
    const ext = (options.memory ? EXT_MEMORY : 0) | (options.info ? EXT_INFO : 0);
    for (const af of inetFamilies(options)) {
      const filter: SocketFilter = { family: af === AF_INET ? 'inet' : 'inet6', ...(where ? { where } : {}) };
      const bytecode = where ? compileSocketFilter(filter, af) : undefined;
      const answered = await dump({ family: af, protocol, states: options.states, ext, bytecode }, filter);
      if (!answered && protocol === IPPROTO.dccp) {
        await dccpCompat();
        break;
      }
      if (!answered && protocol === IPPROTO.raw) {
        await rawFromProc();
        break;
      }
    }
  }

  json?.end();
  table?.end();
}

/** IPv4 then IPv6, as ss dumps them; only IPv6 after `-6`, only IPv4 after `-4`; sockets of a family not shown are dropped. */
function inetFamilies(options: SsOptions): number[] {
  const first = options.preferredFamily === AF_INET6 ? AF_INET6 : AF_INET;
  const list = first === AF_INET && options.preferredFamily !== AF_INET ? [AF_INET, AF_INET6] : [first];
  return list.filter((af) => showsFamily(options, af));
}
