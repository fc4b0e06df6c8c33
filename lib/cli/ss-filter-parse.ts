/**
 * ss's filter language — `sport = :22`, `dport > :1024`, `src 10.0.0.0/8`,
 * `dst [::1]:80`, `dev eth0`, `fwmark 0x1/0xff`, `autobound`, `( … )`,
 * `and`/`or`/`not` — parsed into an expression tree with ss's grammar: the
 * operators have no precedence between them and group from the left
 * (`a or b and c` is `(a or b) and c`); juxtaposition is `and`. Errors carry
 * ss's messages and exit statuses.
 */
import { UsageError } from './cli-context.js';
import { AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_UNIX, SS_BAD_USAGE, SS_USAGE } from './ss-options.js';
import { netlinkProtocolId } from './ss-netlink-format.js';
import { ethertypeId } from './ss-packet-format.js';

/** An address condition (`src`/`dst` operand): a prefix and/or a port, or a UNIX name pattern. */
export interface SsHostCondition {
  /** The family named by a prefix (`inet:`, `inet6:`, `unix:` …), or 0. */
  family: number;
  /** The port, or -1 for any. */
  port: number;
  /** An address prefix: 16 bytes (IPv4 in the first 4) and its length in bits; none for `*`. */
  prefix?: { family: number; bytes: Uint8Array; bits: number };
  /** For `unix:` conditions, the fnmatch pattern. */
  pattern?: string;
}

/** SsExpression is a parsed ss filter. */
export type SsExpression =
  | { kind: 'and' | 'or'; left: SsExpression; right: SsExpression }
  | { kind: 'not'; of: SsExpression }
  | { kind: 'src' | 'dst'; host: SsHostCondition }
  | { kind: 'sport>=' | 'sport<=' | 'dport>=' | 'dport<='; port: number }
  | { kind: 'dev'; device: string }
  | { kind: 'mark'; mark: number; mask: number }
  | { kind: 'autobound' };

/** What parsing needs from the outside: service names and the family the options prefer. */
export interface SsParseContext {
  /** The family ss would parse a bare address in (`-4`, `-6` …), or 0. */
  preferredFamily: number;
  /** Port of a service name for tcp and/or udp (`getservbyname`); undefined when unknown or ambiguous. */
  servicePort(name: string): number | undefined;
  /** Called when an address names a family (`unix:…`): ss then shows only that family. */
  onFamily(af: number): void;
  /** An interface's index by name, for packet addresses (`arp:eth0`); without it only indexes are read. */
  interfaceIndex?(name: string): number | undefined;
}

type Token =
  | { type: '!' | '&' | '|' | '(' | ')' | '=' | '>' | '<' | '>=' | '<=' | '!=' }
  | { type: 'dst' | 'src' | 'dport' | 'sport' | 'dev' | 'fwmark' | 'cgroup' | 'autobound' }
  | { type: 'operand'; value: SsExpression | SsHostCondition | string };

const WORDS: Readonly<Record<string, Token['type']>> = {
  '!': '!', not: '!', '&': '&', '&&': '&', and: '&', '|': '|', '||': '|', or: '|', '(': '(', ')': ')',
  dst: 'dst', src: 'src', dport: 'dport', sport: 'sport', dev: 'dev', fwmark: 'fwmark', cgroup: 'cgroup',
  '>=': '>=', ge: '>=', geq: '>=', '<=': '<=', le: '<=', leq: '<=', '!=': '!=', ne: '!=', neq: '!=',
  '=': '=', '==': '=', eq: '=', '>': '>', gt: '>', '<': '<', lt: '<', autobound: 'autobound',
};

/** Splits each argument at spaces and tabs as ss's lexer does; a backslash keeps the next character. */
function words(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let word: string | undefined;
    for (let i = 0; i < arg.length; i++) {
      const c = arg[i];
      if (c === ' ' || c === '\t') {
        if (word !== undefined) out.push(word);
        word = undefined;
      } else if (c === '\\') {
        word = (word ?? '') + (arg[++i] ?? '');
      } else word = (word ?? '') + c;
    }
    if (word !== undefined) out.push(word);
  }
  return out;
}

const syntaxError = () =>
  new UsageError(`ss: bison bellows (while parsing filter): "syntax error!" Sorry.\n${SS_USAGE}`, SS_BAD_USAGE);

/** C's strtol(…, 0) over the whole text: decimal, 0x hex or 0 octal, with a sign; undefined unless all of it is a number. */
function cInteger(text: string): number | undefined {
  const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (!match) return undefined;
  const digits = match[2];
  const value = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0'
    ? parseInt(digits, 8) : parseInt(digits, 10);
  return match[1] === '-' ? -value : value;
}

/** An IPv4 (`a[.b[.c[.d]]]`, as iproute2 accepts) or IPv6 address into 16 bytes; undefined when it is neither. */
function addressBytes(text: string, family: number): { family: number; bytes: Uint8Array } | undefined {
  const bytes = new Uint8Array(16);
  if (family !== AF_INET6 && /^\d+(\.\d+){0,3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    parts.forEach((p, i) => { bytes[i] = p; });
    return { family: AF_INET, bytes };
  }
  if (family === AF_INET || !text.includes(':')) return undefined;
  let v6 = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (dotted) {
    const v4 = dotted[1].split('.').map(Number);
    if (v4.some((p) => p > 255)) return undefined;
    v6 = `${v6.slice(0, -dotted[1].length)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = v6.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < (halves.length === 2 ? 1 : 0) || head.length + tail.length + fill !== 8) return undefined;
  const all = [...head, ...Array<string>(fill).fill('0'), ...tail];
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return undefined;
    const value = parseInt(all[i], 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  }
  return { family: AF_INET6, bytes };
}

/**
 * parseHostCondition reads one address operand as ss's `parse_hostcond`:
 * `[family:]addr[/len][:port]`, `[v6addr]:port`, `*:port`, `:port`, or —
 * after `sport`/`dport` — a bare port; service names through `servicePort`.
 *
 * @example
 * parseHostCondition('10.0.0.0/8', false, context).prefix?.bits; // 8
 */
export function parseHostCondition(text: string, isPort: boolean, context: SsParseContext): SsHostCondition {
  let family = context.preferredFamily;
  let addr = text;
  const prefixes: ReadonlyArray<readonly [string, number]> = [['unix:', AF_UNIX], ['link:', AF_PACKET], ['netlink:', AF_NETLINK],
    ['inet:', AF_INET], ['inet6:', AF_INET6]];
  for (const [prefix, af] of prefixes) {
    if (addr.startsWith(prefix)) {
      family = af;
      addr = addr.slice(prefix.length);
      break;
    }
  }
  const cannot = (detail?: string) => new UsageError(`${detail ? `${detail}\n` : ''}Cannot parse dst/src address.`, 1);
  const condition: SsHostCondition = { family: 0, port: -1 };
  if (family === AF_UNIX) {
    condition.family = AF_UNIX;
    condition.pattern = addr;
  } else if (family === AF_NETLINK || family === AF_PACKET) {
    // `[protocol][:port]`: the netlink protocol or ethertype; the port id (`kernel`: 0) or interface index.
    const colon = addr.indexOf(':');
    const port = colon < 0 ? '' : addr.slice(colon + 1);
    if (colon >= 0) addr = addr.slice(0, colon);
    if (port && port !== '*') {
      const number = cInteger(port);
      if (number !== undefined) condition.port = number;
      else if (family === AF_NETLINK && port === 'kernel') condition.port = 0;
      else {
        const index = family === AF_PACKET ? context.interfaceIndex?.(port) : undefined;
        if (!index || index <= 0) throw cannot();
        condition.port = index;
      }
    }
    if (addr && addr !== '*') {
      const protocol = family === AF_NETLINK ? netlinkProtocolId(addr) : ethertypeId(addr);
      if (protocol === undefined) throw cannot();
      const bytes = new Uint8Array(16);
      new DataView(bytes.buffer).setUint32(0, protocol, true);
      condition.prefix = { family, bytes, bits: 32 };
    }
  } else {
    let port: string | undefined;
    if (addr.startsWith('[')) {
      const close = addr.indexOf(']');
      if (close < 0) throw cannot();
      port = addr.slice(close + 1);
      addr = addr.slice(1, close);
    } else if (addr.startsWith('*')) {
      port = addr.slice(1);
      addr = '*';
    } else {
      const slash = addr.indexOf('/');
      const colon = addr.lastIndexOf(':');
      if (colon >= 0 && colon > slash) {
        port = addr.slice(colon);
        addr = addr.slice(0, colon);
      }
    }
    if (isPort) {
      port = text;
      addr = '';
    }
    if (port) {
      if (port.startsWith(':')) port = port.slice(1);
      if (port && port !== '*' && !port.startsWith('*')) {
        const number = cInteger(port);
        if (number !== undefined) condition.port = number;
        else {
          const service = context.servicePort(port);
          if (service === undefined) throw cannot(`Error: "${port}" does not look like a port.`);
          condition.port = service;
        }
      }
    }
    if (addr && !addr.startsWith('*')) {
      const [host, length] = addr.split('/', 2);
      const parsed = addressBytes(host, family);
      const max = parsed?.family === AF_INET6 ? 128 : 32;
      const bits = length === undefined ? max : /^\d+$/.test(length) ? Number(length) : NaN;
      if (!parsed || !(bits >= 0 && bits <= max)) throw cannot(`Error: an inet prefix is expected rather than "${addr}".`);
      condition.prefix = { family: parsed.family, bytes: parsed.bytes, bits };
    }
  }
  if (family !== 0) {
    condition.family = family;
    context.onFamily(family);
  }
  return condition;
}

/** `MARK[/MASK]` as C's `%i/%i` reads them. */
function parseMark(text: string): { mark: number; mask: number } | undefined {
  const [mark, mask] = text.split('/', 2);
  const value = cInteger(mark);
  const maskValue = mask === undefined ? 0xffffffff : cInteger(mask);
  if (value === undefined || maskValue === undefined) return undefined;
  return { mark: value >>> 0, mask: maskValue >>> 0 };
}

/**
 * parseSsFilter parses ss's filter expression (the words after the state
 * words); undefined when there is none.
 *
 * @example
 * parseSsFilter(['sport', '=', ':22', 'or', 'dport', '>', ':1024'], context);
 */
export function parseSsFilter(args: readonly string[], context: SsParseContext): SsExpression | undefined {
  const list = words(args);
  let next = 0;
  // The word before an operand decides how ss's lexer reads it (a device, a mark, a port or an address).
  let lastKeyword: Token['type'] | undefined;
  let peeked: Token | null | undefined;
  const lex = (): Token | null => {
    const word = list[next++];
    if (word === undefined) return null;
    const type = WORDS[word];
    if (type !== undefined) {
      if (['dst', 'src', 'dport', 'sport', 'dev', 'fwmark', 'cgroup', 'autobound'].includes(type)) lastKeyword = type;
      return { type } as Token;
    }
    if (lastKeyword === 'dev') return { type: 'operand', value: word };
    if (lastKeyword === 'fwmark') {
      const mark = parseMark(word);
      if (!mark) throw new UsageError(`Cannot parse mark ${word}.`, 1);
      return { type: 'operand', value: { kind: 'mark', ...mark } };
    }
    if (lastKeyword === 'cgroup') throw new UsageError(`Cannot parse cgroup ${word}.`, 1);
    return { type: 'operand', value: parseHostCondition(word, lastKeyword === 'sport' || lastKeyword === 'dport', context) };
  };
  const peek = (): Token | null => {
    if (peeked === undefined) peeked = lex();
    return peeked;
  };
  const take = (): Token | null => {
    const token = peek();
    peeked = undefined;
    return token;
  };
  const operand = (): SsExpression | SsHostCondition | string => {
    const token = take();
    if (token?.type !== 'operand') throw syntaxError();
    return token.value;
  };
  const host = () => {
    const value = operand();
    if (typeof value === 'string' || 'kind' in value) throw syntaxError();
    return value;
  };

  const expr = (): SsExpression => {
    const token = take();
    if (token === null) throw syntaxError();
    switch (token.type) {
      case '(': {
        const inner = list_();
        if (take()?.type !== ')') throw syntaxError();
        return inner;
      }
      case '!': return { kind: 'not', of: expr() };
      case 'src': case 'dst': {
        if (peek()?.type === '=') take();
        return { kind: token.type, host: host() };
      }
      case 'sport': case 'dport': {
        const op = peek()?.type;
        if (op === '>=' || op === '<=' || op === '>' || op === '<' || op === '=' || op === '!=') take();
        const side = token.type === 'sport' ? 'src' : 'dst';
        const h = host();
        const ge = `${token.type}>=` as const;
        const le = `${token.type}<=` as const;
        if (op === '>=') return { kind: ge, port: h.port };
        if (op === '<=') return { kind: le, port: h.port };
        if (op === '>') return { kind: 'not', of: { kind: le, port: h.port } };
        if (op === '<') return { kind: 'not', of: { kind: ge, port: h.port } };
        if (op === '!=') return { kind: 'not', of: { kind: side, host: h } };
        return { kind: side, host: h };
      }
      case 'dev': {
        const negate = peek()?.type === '!=';
        if (negate || peek()?.type === '=') take();
        const device = operand();
        if (typeof device !== 'string') throw syntaxError();
        return negate ? { kind: 'not', of: { kind: 'dev', device } } : { kind: 'dev', device };
      }
      case 'fwmark': {
        const negate = peek()?.type === '!=';
        if (negate || peek()?.type === '=') take();
        const mark = operand();
        if (typeof mark === 'string' || !('kind' in mark)) throw syntaxError();
        return negate ? { kind: 'not', of: mark } : mark;
      }
      case 'autobound': return { kind: 'autobound' };
      default: throw syntaxError();
    }
  };
  const startsExpr = (token: Token | null) =>
    token !== null && ['(', '!', 'src', 'dst', 'sport', 'dport', 'dev', 'fwmark', 'cgroup', 'autobound'].includes(token.type);
  const list_ = (): SsExpression => {
    let left = expr();
    for (;;) {
      const token = peek();
      if (token?.type === '|' || token?.type === '&') {
        take();
        left = { kind: token.type === '|' ? 'or' : 'and', left, right: expr() };
      } else if (startsExpr(token)) {
        left = { kind: 'and', left, right: expr() };
      } else return left;
    }
  };

  if (peek() === null) return undefined;
  const tree = list_();
  if (peek() !== null) throw syntaxError();
  return tree;
}
