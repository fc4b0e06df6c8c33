/**
 * iproute2's name tables, the CLI's one reader of them: route tables
 * (rt_tables), protocols (rt_protos), scopes (rt_scopes), realms (rt_realms),
 * DS fields (rt_dsfield) and device groups (group), each read from
 * /etc/iproute2/<name> and <name>.d/*.conf on first use, over the same
 * built-in entries `ip` 6.1 has; and route types.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where iproute2 6.1 reads its tables (CONFDIR). */
export const IPROUTE2_CONFDIR = '/etc/iproute2';

/**
 * NameTable maps numbers to names and back, as one iproute2 database does.
 *
 * @example
 * routeTables().name(254); // 'main'
 */
export interface NameTable {
  /** The name of `id`, or `id` in decimal when it has none (`rtnl_*_n2a`). */
  name(id: number): string;
  /** The number of a name or of a number written in C syntax (`rtnl_*_a2n`), or undefined. */
  id(text: string): number | undefined;
}

/**
 * parseUnsigned reads a number as strtoul(…, 0) does (decimal, 0x hex, 0 octal), or undefined.
 *
 * @example
 * parseUnsigned('0x10'); // 16
 */
export function parseUnsigned(text: string, max = 0xffffffff): number | undefined {
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) value = parseInt(text.slice(1), 8);
  else if (/^[0-9]+$/.test(text)) value = parseInt(text, 10);
  else return undefined;
  return value <= max ? value : undefined;
}

function readDatabase(file: string, into: Map<number, string>, max: number): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(0x[0-9a-fA-F]+|-?[0-9]+)\s+(\S+)/.exec(line);
    if (!match) continue;
    const id = match[1].startsWith('0x') ? parseInt(match[1].slice(2), 16) : parseInt(match[1], 10);
    if (id < 0 || id > max) continue;
    into.set(id, match[2]);
  }
}

function database(name: string, builtIn: Record<number, string>, max: number, numericMax: number): () => NameTable {
  let table: NameTable | undefined;
  return () => {
    if (table) return table;
    const names = new Map<number, string>(Object.entries(builtIn).map(([id, n]) => [Number(id), n]));
    readDatabase(join(IPROUTE2_CONFDIR, name), names, max);
    try {
      const dir = join(IPROUTE2_CONFDIR, `${name}.d`);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.conf')).sort()) {
        readDatabase(join(dir, file), names, max);
      }
    } catch {
      // No drop-in directory.
    }
    const ids = new Map<string, number>();
    for (const [id, n] of names) if (!ids.has(n)) ids.set(n, id);
    const cache: string[] = [];
    table = {
      name(id) {
        if (id >= 0 && id < 256) return (cache[id] ??= names.get(id) ?? String(id));
        return names.get(id) ?? String(id);
      },
      id: (text) => ids.get(text) ?? parseUnsigned(text, numericMax),
    };
    return table;
  };
}

/** rt_tables: route table ids (built in: default, main, local). */
export const routeTables = database('rt_tables', { 253: 'default', 254: 'main', 255: 'local' }, 0xffffffff, 0xffffffff);

/** rt_protos: route protocols. */
export const routeProtocols = database('rt_protos', {
  0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra',
  12: 'bird', 42: 'babel', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 18: 'keepalived', 186: 'bgp',
  187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp',
}, 255, 255);

/** rt_scopes: route scopes. */
export const routeScopes = database('rt_scopes', { 0: 'global', 255: 'nowhere', 254: 'host', 253: 'link', 200: 'site' },
  255, 255);

/** group: device groups (built in: default). */
export const deviceGroups = database('group', { 0: 'default' }, 0xffffffff, 0xffffffff);

/** rt_realms: routing realms. */
export const routeRealms = database('rt_realms', { 0: 'unknown' }, 255, 0xffff);

/** rt_dsfield: names of DS field (TOS) values; unnamed ones print as 0x%02x. */
const dsfields = database('rt_dsfield', {}, 255, 255);

/**
 * dsfieldName names a TOS / DS field value as `rtnl_dsfield_n2a` does.
 *
 * @example
 * dsfieldName(0x10); // '0x10' unless rt_dsfield names it
 */
export function dsfieldName(tos: number): string {
  const name = dsfields().name(tos);
  return name === String(tos) ? `0x${tos.toString(16).padStart(2, '0')}` : name;
}

const ROUTE_TYPES = ['none', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable',
  'prohibit', 'throw', 'nat', 'xresolve'];

/**
 * routeTypeName names an RTN_* route type as `rtnl_rtntype_n2a` does.
 *
 * @example
 * routeTypeName(RTN_BLACKHOLE); // 'blackhole'
 */
export function routeTypeName(type: number): string {
  return ROUTE_TYPES[type] ?? String(type);
}

/**
 * routeTypeId reads a route type name or number (`rtnl_rtntype_a2n`), or undefined.
 *
 * @example
 * routeTypeId('prohibit'); // 8
 */
export function routeTypeId(text: string): number | undefined {
  const index = ROUTE_TYPES.indexOf(text);
  if (index > 0) return index;
  return parseUnsigned(text, 255);
}

/** group: interface group names (for suppress_ifgroup). */
export const interfaceGroups = database('group', { 0: 'default' }, 0x7fffffff, 0xffffffff);

let protocols: Map<number, string> | undefined;

/**
 * ipProtocolName names an IP protocol number as inet_proto_n2a() does: its
 * name in /etc/protocols, else `ipproto-N`.
 *
 * @example
 * ipProtocolName(17); // 'udp'
 */
export function ipProtocolName(proto: number): string {
  if (!protocols) {
    protocols = new Map();
    try {
      for (const line of readFileSync('/etc/protocols', 'utf8').split('\n')) {
        const match = /^\s*([^#\s]+)\s+(\d+)/.exec(line);
        if (match && !protocols.has(Number(match[2]))) protocols.set(Number(match[2]), match[1]);
      }
    } catch {
      // No /etc/protocols: numbers only.
    }
  }
  return protocols.get(proto) ?? `ipproto-${proto}`;
}

/**
 * dsfieldId reads a TOS / DS field as `rtnl_dsfield_a2n` does: a name from
 * rt_dsfield, else a hexadecimal number (with or without 0x) up to 0xff.
 *
 * @example
 * dsfieldId('10'); // 16
 */
export function dsfieldId(text: string): number | undefined {
  if (!/^(0[xX])?[0-9]+$/.test(text)) {
    const named = dsfields().id(text);
    if (named !== undefined) return named;
  }
  const digits = /^(0[xX])?([0-9a-fA-F]+)$/.exec(text);
  if (!digits) return undefined;
  const value = parseInt(digits[2], 16);
  return value <= 0xff ? value : undefined;
}

/**
 * realmsId reads `realms FROM/TO` as `get_rt_realms_or_raw` does: a plain
 * 32-bit number, else realm names or numbers, FROM in the high 16 bits.
 *
 * @example
 * realmsId('1/2'); // 0x10002
 */
export function realmsId(text: string): number | undefined {
  const raw = parseUnsigned(text);
  if (raw !== undefined) return raw;
  const slash = text.indexOf('/');
  let from = 0;
  let rest = text;
  if (slash >= 0) {
    const id = routeRealms().id(text.slice(0, slash));
    if (id === undefined) return undefined;
    from = id;
    rest = text.slice(slash + 1);
  }
  let to = 0;
  if (rest !== '') {
    const id = routeRealms().id(rest);
    if (id === undefined) return undefined;
    to = id;
  }
  return ((from << 16) | to) >>> 0;
}

/**
 * ipProtocolId reads an IP protocol as inet_proto_a2n() does: a decimal
 * number up to 255 or a name from /etc/protocols, or undefined.
 *
 * @example
 * ipProtocolId('udp'); // 17
 */
export function ipProtocolId(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) {
    const value = Number(text);
    return value <= 255 ? value : undefined;
  }
  ipProtocolName(0);
  for (const [id, name] of protocols ?? []) if (name === text) return id;
  return undefined;
}
