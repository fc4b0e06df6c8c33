/**
 * Inet sockets from /proc/net/raw and raw6 (the format every /proc/net inet
 * table shares), read as ss's dgram_show_line reads them: what ss lists when
 * the kernel has no raw_diag to answer its dump. Only what the file says is
 * known: addresses, ports, state, queues, uid, inode — no cookie, memory,
 * timers or device.
 */
import { ipv4Text, ipv6Text } from '../codec/address-text.js';
import type { InetSocket } from '../sockdiag/socket.js';

const AF_INET6 = 10;
const IPPROTO_RAW = 255;

/** `%08X` words of a __be32 (or four of an in6_addr) printed in host (little-endian) order → network-order bytes. */
function addressBytes(hex: string): Uint8Array | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length % 8 !== 0) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  const view = new DataView(bytes.buffer);
  for (let word = 0; word * 8 < hex.length; word++) view.setUint32(word * 4, parseInt(hex.slice(word * 8, word * 8 + 8), 16), true);
  return bytes;
}

/** `ADDR:PORT` of the file: the address as text, the port (for raw: the protocol) as a number. */
function endpoint(field: string, family: number): { text: string; port: number } | undefined {
  const [hex, port] = field.split(':');
  const bytes = addressBytes(hex ?? '');
  if (!bytes || bytes.length !== (family === AF_INET6 ? 16 : 4) || !/^[0-9A-Fa-f]+$/.test(port ?? '')) return undefined;
  return { text: family === AF_INET6 ? ipv6Text(bytes, 0) : ipv4Text(bytes, 0), port: parseInt(port, 16) };
}

/**
 * procInetSockets reads the lines of a /proc/net inet table (`raw`, `raw6`
 * …) of address family `family` into sockets of `protocol`; the header and
 * lines it cannot read are skipped.
 *
 * @example
 * procInetSockets(await readFile('/proc/net/raw', 'utf8'), 2, 255); // [{ kind: 'inet', src: '0.0.0.0', srcPort: 253, … }]
 */
export function procInetSockets(text: string, family: number, protocol: number): InetSocket[] {
  const sockets: InetSocket[] = [];
  for (const line of text.split('\n')) {
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^\d+:$/.test(f[0])) continue;
    const local = endpoint(f[1], family);
    const remote = endpoint(f[2], family);
    const [tx, rx] = f[4].split(':');
    if (!local || !remote || rx === undefined) continue;
    sockets.push({
      kind: 'inet', family, protocol, state: parseInt(f[3], 16), timer: 0, retrans: 0,
      srcPort: local.port, dstPort: remote.port, src: local.text, dst: remote.text, ifindex: 0, cookie: 0n, expires: 0,
      rqueue: parseInt(rx, 16), wqueue: parseInt(tx, 16), uid: Number(f[7]), inode: Number(f[9]),
      ...(protocol === IPPROTO_RAW ? { rawProtocol: local.port } : {}),
    });
  }
  return sockets;
}
