/**
 * How ss applies its filter expression to a socket (its `run_ssfilter`),
 * quirks included: an IPv4 prefix also matches IPv4-mapped IPv6 addresses,
 * a UNIX name pattern matches case-insensitively, `autobound` means an
 * ephemeral local port (or an autobound UNIX name).
 */
import type { SsExpression, SsHostCondition } from './ss-filter-parse.js';
import { AF_INET, AF_INET6, AF_UNIX } from './ss-options.js';

/** SsMatchSocket is what ss's filter looks at in a socket. */
export interface SsMatchSocket {
  family: number;
  /** Local and remote address: 16 bytes, IPv4 in the first 4 (UNIX: unused). */
  local: Uint8Array;
  remote: Uint8Array;
  /** Local and remote port (UNIX: inode and peer inode). */
  localPort: number;
  remotePort: number;
  ifindex: number;
  mark: number;
  /** A UNIX socket's name as ss prints it, if it has one. */
  name?: string;
}

/** What matching needs besides the socket: device indexes and the ephemeral port range. */
export interface SsMatchContext {
  deviceIndex(name: string): number;
  ephemeral(port: number): boolean;
}

/** The first `bits` bits of two 16-byte addresses are equal (iproute2's `inet_addr_match`, which ignores families). */
function prefixEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[whole] ^ b[whole]) & mask) === 0;
}

function addressMatches(address: Uint8Array, family: number, prefix: NonNullable<SsHostCondition['prefix']>): boolean {
  if (prefixEqual(address, prefix.bytes, prefix.bits)) return true;
  // An IPv4 rule also selects v4-mapped IPv6 sockets (the reverse does not hold), as ss says: "Fair?".
  const mapped = family === AF_INET6 && prefix.family === AF_INET && address.subarray(0, 10).every((b) => b === 0) &&
    address[10] === 0xff && address[11] === 0xff;
  if (!mapped) return false;
  const v4 = new Uint8Array(16);
  v4.set(address.subarray(12, 16));
  return prefixEqual(v4, prefix.bytes, prefix.bits);
}

/** fnmatch(3) with FNM_CASEFOLD: `*`, `?`, `[…]` (with `!`/`^` and ranges), `\` escapes; `*` crosses `/`. */
function fnmatch(pattern: string, text: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '\\' && i + 1 < pattern.length) source += `\\${pattern[++i]}`.replace(/\\([a-zA-Z0-9])/, '$1');
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        let set = pattern.slice(i + 1, close);
        if (set[0] === '!' || set[0] === '^') set = `^${set.slice(1)}`;
        source += `[${set.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\]\\/-]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`, 'is').test(text);
  } catch {
    return false;
  }
}

function hostMatches(host: SsHostCondition, socket: SsMatchSocket, side: 'local' | 'remote'): boolean {
  if (host.family === AF_UNIX) {
    // ss compares only local names; its remote name of a UNIX socket is always empty.
    if (host.pattern === undefined) return true;
    return fnmatch(host.pattern, side === 'local' ? socket.name ?? '' : '');
  }
  const port = side === 'local' ? socket.localPort : socket.remotePort;
  if (host.port !== -1 && host.port !== port) return false;
  if (!host.prefix || host.prefix.bits === 0) return true;
  return addressMatches(side === 'local' ? socket.local : socket.remote, socket.family, host.prefix);
}

/**
 * matchSsFilter says whether ss would show `socket` under `expression`.
 *
 * @example
 * matchSsFilter({ kind: 'sport>=', port: 1024 }, socket, context);
 */
export function matchSsFilter(expression: SsExpression, socket: SsMatchSocket, context: SsMatchContext): boolean {
  switch (expression.kind) {
    case 'and': return matchSsFilter(expression.left, socket, context) && matchSsFilter(expression.right, socket, context);
    case 'or': return matchSsFilter(expression.left, socket, context) || matchSsFilter(expression.right, socket, context);
    case 'not': return !matchSsFilter(expression.of, socket, context);
    case 'src': return hostMatches(expression.host, socket, 'local');
    case 'dst': return hostMatches(expression.host, socket, 'remote');
    case 'sport>=': return socket.localPort >= expression.port;
    case 'sport<=': return socket.localPort <= expression.port;
    case 'dport>=': return socket.remotePort >= expression.port;
    case 'dport<=': return socket.remotePort <= expression.port;
    case 'dev': return socket.ifindex === context.deviceIndex(expression.device);
    case 'mark': return ((socket.mark & expression.mask) >>> 0) === expression.mark;
    case 'autobound':
      if (socket.family === AF_UNIX) return socket.name === undefined || /^@[0-9a-f]{5}$/.test(socket.name);
      return context.ephemeral(socket.localPort);
  }
}

/**
 * addressBytes16 turns an address's text into 16 bytes (IPv4 in the first
 * 4), as `SsMatchSocket` holds it.
 *
 * @example
 * addressBytes16('::ffff:127.0.0.1', AF_INET6); // 0…0 ff ff 7f 00 00 01
 */
export function addressBytes16(text: string, family: number): Uint8Array {
  const bytes = new Uint8Array(16);
  if (family === AF_INET) {
    text.split('.').forEach((part, i) => { bytes[i] = Number(part); });
    return bytes;
  }
  const [head, tail = ''] = text.split('::');
  let groups = head === '' ? [] : head.split(':');
  let after = text.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const dotted = (list: string[]) => {
    const last = list[list.length - 1];
    if (last?.includes('.')) {
      const v4 = last.split('.').map(Number);
      list.splice(list.length - 1, 1, ((v4[0] << 8) | v4[1]).toString(16), ((v4[2] << 8) | v4[3]).toString(16));
    }
    return list;
  };
  if (text.includes('::')) after = dotted(after);
  else groups = dotted(groups);
  const all = [...groups, ...Array<string>(8 - groups.length - after.length).fill('0'), ...after];
  all.forEach((group, i) => {
    const value = parseInt(group, 16) || 0;
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}
