/**
 * `nlrx ss` arguments, read as iproute2's ss reads them: GNU-style short and
 * long options anywhere on the line, then `state`/`exclude` words, then the
 * filter expression. Which socket tables, families and states are shown
 * follows ss's rules (its defaults per table and per family, merged), so the
 * same arguments select the same sockets and hide the same columns.
 */
import { UsageError } from './cli-context.js';

/** The socket tables ss knows, as bits (its `*_DB`, in its order). */
export const SsTable = {
  tcp: 1 << 0, mptcp: 1 << 1, dccp: 1 << 2, udp: 1 << 3, raw: 1 << 4,
  unixDgram: 1 << 5, unixStream: 1 << 6, unixSeqpacket: 1 << 7,
  packetDgram: 1 << 8, packetRaw: 1 << 9, netlink: 1 << 10, sctp: 1 << 11,
} as const;

/** Address families as bits of `SsOptions.families`, by their AF_* numbers. */
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const AF_PACKET = 17;

/** TCP states as the kernel numbers them (`TCP_ESTABLISHED` = 1 … `TCP_CLOSING` = 11): ss's `SS_*`. */
export const SS_STATE_NAMES = [
  'UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT',
  'LAST-ACK', 'LISTEN', 'CLOSING',
] as const;

const SS_ALL = (1 << 12) - 1;
const bit = (state: number) => 1 << state;
const [ESTABLISHED, SYN_SENT, SYN_RECV, TIME_WAIT, CLOSE, LISTEN] = [1, 2, 3, 6, 7, 10];
const SS_CONN = SS_ALL & ~(bit(LISTEN) | bit(CLOSE) | bit(TIME_WAIT) | bit(SYN_RECV));
const family = (af: number) => 2 ** af;
const INET_FAMILIES = family(AF_INET) + family(AF_INET6);
const UNIX_TABLES = SsTable.unixDgram | SsTable.unixStream | SsTable.unixSeqpacket;
const PACKET_TABLES = SsTable.packetDgram | SsTable.packetRaw;
const INET_TABLES = SsTable.tcp | SsTable.mptcp | SsTable.udp | SsTable.dccp | SsTable.sctp | SsTable.raw;
const ALL_TABLES = INET_TABLES | UNIX_TABLES | PACKET_TABLES | SsTable.netlink;

/** Each table's default states and families (ss's `default_dbs`). */
const TABLE_DEFAULTS: ReadonlyArray<readonly [table: number, states: number, families: number]> = [
  [SsTable.tcp, SS_CONN, INET_FAMILIES], [SsTable.mptcp, SS_CONN, INET_FAMILIES], [SsTable.dccp, SS_CONN, INET_FAMILIES],
  [SsTable.udp, bit(ESTABLISHED), INET_FAMILIES], [SsTable.raw, bit(ESTABLISHED), INET_FAMILIES],
  [SsTable.unixDgram, bit(CLOSE), family(AF_UNIX)], [SsTable.unixStream, SS_CONN, family(AF_UNIX)],
  [SsTable.unixSeqpacket, SS_CONN, family(AF_UNIX)], [SsTable.packetDgram, bit(CLOSE), family(AF_PACKET)],
  [SsTable.packetRaw, bit(CLOSE), family(AF_PACKET)], [SsTable.netlink, bit(CLOSE), family(AF_NETLINK)],
  [SsTable.sctp, SS_CONN, INET_FAMILIES],
];

/** Each family's default tables and states (ss's `default_afs`). */
const FAMILY_DEFAULTS: ReadonlyArray<readonly [af: number, tables: number, states: number]> = [
  [AF_INET, INET_TABLES, SS_CONN], [AF_INET6, INET_TABLES, SS_CONN], [AF_UNIX, UNIX_TABLES, SS_CONN],
  [AF_PACKET, PACKET_TABLES, bit(CLOSE)], [AF_NETLINK, SsTable.netlink, bit(CLOSE)],
];

/** `-A` names (ss's `filter_db_parse` table). */
const QUERIES: Readonly<Record<string, number>> = {
  all: ALL_TABLES, inet: INET_TABLES, udp: SsTable.udp, dccp: SsTable.dccp, tcp: SsTable.tcp, mptcp: SsTable.mptcp,
  sctp: SsTable.sctp, raw: SsTable.raw, unix: UNIX_TABLES, unix_stream: SsTable.unixStream, u_str: SsTable.unixStream,
  unix_dgram: SsTable.unixDgram, u_dgr: SsTable.unixDgram, unix_seqpacket: SsTable.unixSeqpacket,
  u_seq: SsTable.unixSeqpacket, packet: PACKET_TABLES, packet_raw: SsTable.packetRaw, p_raw: SsTable.packetRaw,
  packet_dgram: SsTable.packetDgram, p_dgr: SsTable.packetDgram, netlink: SsTable.netlink,
};

/** ss exits with -1 (255) on a bad command line. */
export const SS_BAD_USAGE = 255;

export const SS_USAGE = `Usage: nlrx [-n NETNS] [-j] ss [ OPTIONS ] [ FILTER ]
   -n numeric  -a all  -l listening  -o timers  -e extended  -m memory  -p processes  -i tcp info
   -H no header  -O one line  -s summary  -4 -6 -t -u -w -x -M -S -d -0  -f FAMILY  -A QUERY  -N NETNS
   FILTER := [ state STATE-FILTER ] [ EXPRESSION ]   (as ss; -j: one JSON object a line)`;

/** SsOptions are what a `nlrx ss` command line asks for. */
export interface SsOptions {
  /** The socket tables to dump (`SsTable` bits). */
  tables: number;
  /** The address families to show (bit `2 ** AF_*`). */
  families: number;
  /** The states to show (bit `1 << state`). */
  states: number;
  /** The family named last by an option (`-4`, `-6`, `-x`, `-f` …): ss dumps only IPv6 after `-6`. */
  preferredFamily: number;
  numeric: boolean;
  timers: boolean;
  details: boolean;
  memory: boolean;
  info: boolean;
  processes: boolean;
  header: boolean;
  oneline: boolean;
  /** `-s`: the summary first. */
  summary: boolean;
  /** `-s` with no table, family, query, state or filter: ss prints the summary and nothing else. */
  summaryOnly: boolean;
  /** `-N NETNS`. */
  netns?: string;
  /** The filter expression's words, after the state words. */
  expression: string[];
}

const LONG: Readonly<Record<string, string>> = {
  numeric: 'n', resolve: 'r', options: 'o', extended: 'e', memory: 'm', info: 'i', processes: 'p', threads: 'T',
  dccp: 'd', tcp: 't', sctp: 'S', udp: 'u', raw: 'w', unix: 'x', all: 'a', listening: 'l', ipv4: '4', ipv6: '6',
  packet: '0', family: 'f', socket: 'A', query: 'A', summary: 's', version: 'V', help: 'h', net: 'N',
  'no-header': 'H', mptcp: 'M', oneline: 'O',
};
const WITH_VALUE = new Set(['f', 'A', 'N', 'D', 'F']);
const SHORT = 'dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO';

function badUsage(message: string): UsageError {
  return new UsageError(`${message}\n${SS_USAGE}`, SS_BAD_USAGE);
}

/**
 * scanState turns a state word into state bits as ss's `scan_state` does,
 * or fails with ss's message and status.
 *
 * @example
 * scanState('established'); // 2 (1 << TCP_ESTABLISHED)
 */
export function scanState(word: string): number {
  const name = word.toLowerCase();
  const named: Record<string, number> = {
    close: bit(CLOSE), closed: bit(CLOSE), 'syn-rcv': bit(SYN_RECV), established: bit(ESTABLISHED), all: SS_ALL,
    connected: SS_ALL & ~(bit(CLOSE) | bit(LISTEN)),
    synchronized: SS_ALL & ~(bit(CLOSE) | bit(LISTEN) | bit(SYN_SENT)),
    bucket: bit(SYN_RECV) | bit(TIME_WAIT), big: SS_ALL & ~(bit(SYN_RECV) | bit(TIME_WAIT)),
  };
  if (name in named) return named[name];
  const lower = ['unknown', 'established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait', 'unconnected',
    'close-wait', 'last-ack', 'listening', 'closing'];
  const index = lower.indexOf(name);
  if (index >= 0) return bit(index);
  throw new UsageError(`ss: wrong state name: ${word}`, SS_BAD_USAGE);
}

/**
 * parseSsArguments reads `nlrx ss` arguments into `SsOptions`, with ss's
 * table/family/state defaults merged and ss's errors (message and status).
 *
 * @example
 * parseSsArguments(['-tln']).states; // (1 << 10) | (1 << 7): LISTEN and UNCONN
 */
export function parseSsArguments(args: readonly string[]): SsOptions {
  let tables = 0;
  let families = 0;
  let states = 0;
  let stateFilter = 0;
  let useDefault = true;
  let sawQuery = false;
  const options: SsOptions = {
    tables: 0, families: 0, states: 0, preferredFamily: 0, numeric: false, timers: false, details: false,
    memory: false, info: false, processes: false, header: true, oneline: false, summary: false, summaryOnly: false,
    expression: [],
  };
  const addTable = (table: number) => {
    for (const [t, s] of TABLE_DEFAULTS) if (table & t) states |= s;
    tables |= table;
    useDefault = false;
  };
  const addFamily = (af: number) => {
    for (const [f, , s] of FAMILY_DEFAULTS) if (f === af) states |= s;
    families |= family(af);
    useDefault = false;
    options.preferredFamily = af;
  };
  const apply = (option: string, value: string | undefined) => {
    switch (option) {
      case 'n': options.numeric = true; break;
      case 'r': break; // Host names are never resolved: addresses print as numbers, as ss does without -r.
      case 'o': options.timers = true; break;
      case 'e': options.timers = true; options.details = true; break;
      case 'm': options.memory = true; break;
      case 'i': options.info = true; break;
      case 'p': options.processes = true; break;
      case 'd': addTable(SsTable.dccp); break;
      case 't': addTable(SsTable.tcp); break;
      case 'S': addTable(SsTable.sctp); break;
      case 'u': addTable(SsTable.udp); break;
      case 'w': addTable(SsTable.raw); break;
      case 'M': addTable(SsTable.mptcp); break;
      case 'x': addFamily(AF_UNIX); break;
      case 'a': stateFilter = SS_ALL; break;
      case 'l': stateFilter = bit(LISTEN) | bit(CLOSE); break;
      case '4': addFamily(AF_INET); break;
      case '6': addFamily(AF_INET6); break;
      case '0': addFamily(AF_PACKET); break;
      case 'f': {
        const af = ({ inet: AF_INET, inet6: AF_INET6, link: AF_PACKET, unix: AF_UNIX, netlink: AF_NETLINK } as Record<string, number>)[value ?? ''];
        if (af === undefined) throw badUsage(`ss: "${value}" is invalid family`);
        addFamily(af);
        break;
      }
      case 'A': {
        if (!sawQuery) {
          tables = 0;
          stateFilter = stateFilter || SS_CONN;
          sawQuery = true;
          useDefault = false;
        }
        for (const name of (value ?? '').split(',')) {
          const enable = !name.startsWith('!');
          const table = QUERIES[enable ? name : name.slice(1)];
          if (table === undefined) throw badUsage(`ss: "${name}" is illegal socket table id`);
          if (enable) addTable(table);
          else {
            tables &= ~table;
            useDefault = false;
          }
        }
        break;
      }
      case 'H': options.header = false; break;
      case 'O': options.oneline = true; break;
      case 's': options.summary = true; break;
      case 'N': options.netns = value; break;
      default: throw badUsage(`nlrx ss: option -${option} is not supported`);
    }
  };

  // GNU getopt: options anywhere, until "--"; the other words keep their order.
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      words.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      const matches = Object.keys(LONG).filter((l) => l.startsWith(name));
      const exact = LONG[name] ?? (matches.length === 1 ? LONG[matches[0]] : undefined);
      if (exact === undefined) throw badUsage(`ss: unrecognized option '${arg}'`);
      const value = WITH_VALUE.has(exact) ? inline ?? args[++i] : undefined;
      if (WITH_VALUE.has(exact) && value === undefined) throw badUsage(`ss: option '--${name}' requires an argument`);
      apply(exact, value);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const option = arg[j];
        if (!SHORT.includes(option) || option === ':') throw badUsage(`ss: invalid option -- '${option}'`);
        if (WITH_VALUE.has(option)) {
          const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
          if (value === undefined) throw badUsage(`ss: option requires an argument -- '${option}'`);
          apply(option, value);
          break;
        }
        apply(option, undefined);
      }
    } else words.push(arg);
  }

  let sawStates = false;
  let w = 0;
  for (; w < words.length; w++) {
    const word = words[w];
    if (word !== 'state' && word !== 'exclude' && word !== 'excl') break;
    const name = words[++w];
    if (name === undefined) throw new UsageError('Command line is not complete. Try option "help"', SS_BAD_USAGE);
    if (word === 'state') {
      if (!sawStates) stateFilter = 0;
      stateFilter |= scanState(name);
    } else {
      if (!sawStates) stateFilter = SS_ALL;
      stateFilter &= ~scanState(name);
    }
    sawStates = true;
  }
  options.expression = words.slice(w);
  options.summaryOnly = options.summary && useDefault && words.length === 0;

  if (useDefault) {
    stateFilter = stateFilter || SS_CONN;
    addTable(ALL_TABLES);
  }
  if (stateFilter) states = stateFilter;
  // ss's filter_merge_defaults: a table brings its families, a family its tables.
  for (const [table, , tableFamilies] of TABLE_DEFAULTS) {
    if (tables & table && !(tableFamilies & families)) families |= tableFamilies;
  }
  for (const [af, afTables] of FAMILY_DEFAULTS) {
    if (families & family(af) && !(afTables & tables)) tables |= afTables;
  }
  Object.assign(options, { tables, families, states });
  return options;
}

/**
 * showsFamily tells whether `options` show sockets of address family `af`.
 *
 * @example
 * showsFamily(parseSsArguments(['-t']), AF_INET6); // true
 */
export const showsFamily = (options: Pick<SsOptions, 'families'>, af: number): boolean =>
  Math.floor(options.families / family(af)) % 2 === 1;

/**
 * onlyFamily restricts `options` to one family, as an address such as
 * `unix:/run/*` in a filter does in ss.
 *
 * @example
 * onlyFamily(options, AF_UNIX);
 */
export function onlyFamily(options: SsOptions, af: number): void {
  options.families = family(af);
  options.preferredFamily = af;
}

/**
 * singleBit is true when exactly one bit of `bits` is set (ss then hides the
 * Netid or State column).
 *
 * @example
 * singleBit(SsTable.tcp); // true
 */
export const singleBit = (bits: number): boolean => bits !== 0 && (bits & (bits - 1)) === 0;
