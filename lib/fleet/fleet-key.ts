/**
 * The keys of the fleet bucket: `<host>.<table>.<identity>` for a row and
 * `<host>.heartbeat` for a host's heartbeat, every part escaped so that it
 * is one NATS subject token whatever it holds.
 */
import { FleetError } from './fleet-error.js';

/** Characters kept as they are; everything else (the `_` escape itself included) is escaped. */
const PLAIN = /^[A-Za-z0-9-]$/;

/**
 * encodeKeyToken escapes text into one token of a NATS KV key: letters,
 * digits and `-` stay, every other UTF-8 byte becomes `_XX` (hex). Identity
 * keys hold `|`, `/`, `:` and `.`, which NATS keys do not allow or read as
 * separators. The empty string is `_`. Reversed by `decodeKeyToken`.
 *
 * @example
 * encodeKeyToken('2|254|10.0.0.0/24'); // '2_7C254_7C10_2E0_2E0_2E0_2F24'
 */
export function encodeKeyToken(text: string): string {
  if (text === '') return '_';
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * decodeKeyToken reverses `encodeKeyToken`; undefined for a token it could
 * not have produced.
 *
 * @example
 * decodeKeyToken('10_2E0_2E0_2E1'); // '10.0.0.1'
 */
export function decodeKeyToken(token: string): string | undefined {
  if (token === '_') return '';
  if (!/^(?:[A-Za-z0-9-]|_[0-9A-F]{2})+$/.test(token)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '_') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  const text = Buffer.from(bytes).toString('utf8');
  return encodeKeyToken(text) === token ? text : undefined;
}

/**
 * FleetKey is a parsed bucket key: a row of a host's table, or its heartbeat.
 *
 * @example
 * const k: FleetKey = { host: 'r1', table: 'routes', id: '2|254|10.0.0.0/24|/0|0|0' };
 */
export type FleetKey =
  | { readonly host: string; readonly table: string; readonly id: string }
  | { readonly host: string; readonly heartbeat: true };

/** The token after the host that marks a heartbeat (no table has that name). */
export const HEARTBEAT_TOKEN = 'heartbeat';

/**
 * fleetRowKey is the bucket key of one row.
 *
 * @example
 * fleetRowKey('r1', 'links', '3'); // 'r1.links.3'
 */
export function fleetRowKey(host: string, table: string, id: string): string {
  return `${encodeKeyToken(host)}.${table}.${encodeKeyToken(id)}`;
}

/**
 * fleetHeartbeatKey is the bucket key of a host's heartbeat.
 *
 * @example
 * fleetHeartbeatKey('r1'); // 'r1.heartbeat'
 */
export function fleetHeartbeatKey(host: string): string {
  return `${encodeKeyToken(host)}.${HEARTBEAT_TOKEN}`;
}

/**
 * fleetTableFilter is the key filter of one table of every host (or of one host).
 *
 * @example
 * fleetTableFilter('routes');       // '*.routes.*'
 * fleetTableFilter('routes', 'r1'); // 'r1.routes.*'
 */
export function fleetTableFilter(table: string, host?: string): string {
  return `${host === undefined ? '*' : encodeKeyToken(host)}.${table}.*`;
}

/**
 * parseFleetKey reads a bucket key; undefined for a key that is not the fleet's.
 *
 * @example
 * parseFleetKey('r1.links.3'); // { host: 'r1', table: 'links', id: '3' }
 */
export function parseFleetKey(key: string): FleetKey | undefined {
  const parts = key.split('.');
  const host = decodeKeyToken(parts[0]);
  if (host === undefined) return undefined;
  if (parts.length === 2 && parts[1] === HEARTBEAT_TOKEN) return { host, heartbeat: true };
  if (parts.length !== 3 || !/^[a-z]+$/.test(parts[1]) || parts[1] === HEARTBEAT_TOKEN) return undefined;
  const id = decodeKeyToken(parts[2]);
  return id === undefined ? undefined : { host, table: parts[1], id };
}

/**
 * checkHostName refuses a host name that cannot name a publisher: empty,
 * longer than 253 bytes, or with control characters.
 *
 * @example
 * checkHostName('router-1.example'); // 'router-1.example'
 */
export function checkHostName(host: string): string {
  // eslint-disable-next-line no-control-regex
  if (host === '' || Buffer.byteLength(host) > 253 || /[\x00-\x1f\x7f]/.test(host)) {
    throw new FleetError(`Host name "${host}" is not usable: 1 to 253 bytes, no control characters.`, 'EINVAL');
  }
  return host;
}
