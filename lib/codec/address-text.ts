/**
 * Addresses as text, the way iproute2 prints them: inet_ntop(3) for IPv4 and
 * IPv6 (glibc's rules: longest zero run compressed, embedded IPv4 for
 * ::a.b.c.d and ::ffff:a.b.c.d), and ll_addr_n2a() for link-layer addresses.
 * IPv4 is on the hot path of every route dump, so it is built from 256-entry
 * tables instead of per-octet number formatting.
 */

const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
const DOTTED: readonly string[] = Array.from({ length: 256 }, (_, i) => `${i}.`);
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** ARPHRD_* (<linux/if_arp.h>) whose hardware addresses are IP addresses. */
const ARPHRD_TUNNEL = 768;
const ARPHRD_TUNNEL6 = 769;
const ARPHRD_SIT = 776;
const ARPHRD_IPGRE = 778;
const ARPHRD_IP6GRE = 823;

/**
 * ipv4Text formats the 4 bytes at `offset` as dotted decimal.
 *
 * @example
 * ipv4Text(Uint8Array.of(192, 0, 2, 1), 0); // '192.0.2.1'
 */
export function ipv4Text(data: Uint8Array, offset: number): string {
  return DOTTED[data[offset]] + DOTTED[data[offset + 1]] + DOTTED[data[offset + 2]] + DECIMAL[data[offset + 3]];
}

/**
 * ipv6Text formats the 16 bytes at `offset` as glibc's inet_ntop does.
 *
 * @example
 * ipv6Text(Buffer.from('20010db8000000000000000000000001', 'hex'), 0); // '2001:db8::1'
 */
export function ipv6Text(data: Uint8Array, offset: number): string {
  const words = new Array<number>(8);
  for (let i = 0; i < 8; i++) words[i] = (data[offset + 2 * i] << 8) | data[offset + 2 * i + 1];
  // The longest run of zero words (leftmost on a tie), if it is at least 2 long.
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestBase = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) text += ':';
      continue;
    }
    if (i !== 0) text += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      return text + ipv4Text(data, offset + 12);
    }
    text += words[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) text += ':';
  return text;
}

/**
 * inetText formats an IPv4 (4 bytes) or IPv6 (16 bytes) address; other sizes
 * come out as colon-separated hex, as iproute2 does for unknown families.
 *
 * @example
 * inetText(Uint8Array.of(10, 0, 0, 1), 0, 4); // '10.0.0.1'
 */
export function inetText(data: Uint8Array, offset: number, length: number): string {
  if (length === 4) return ipv4Text(data, offset);
  if (length === 16) return ipv6Text(data, offset);
  return hexColonText(data, offset, length);
}

/**
 * hexColonText formats bytes as `aa:bb:cc`.
 *
 * @example
 * hexColonText(Uint8Array.of(2, 0, 0, 0, 0, 10), 0, 6); // '02:00:00:00:00:0a'
 */
export function hexColonText(data: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += (i === 0 ? '' : ':') + HEX2[data[offset + i]];
  return text;
}

/**
 * llAddrText formats a hardware address as iproute2's ll_addr_n2a(): tunnel
 * devices' addresses are IP addresses, everything else is colon hex.
 *
 * @example
 * llAddrText(mac, 0, 6, ARPHRD_ETHER); // '52:a9:81:2f:bc:31'
 */
export function llAddrText(data: Uint8Array, offset: number, length: number, arphrd: number): string {
  if (length === 4 && (arphrd === ARPHRD_TUNNEL || arphrd === ARPHRD_SIT || arphrd === ARPHRD_IPGRE)) {
    return ipv4Text(data, offset);
  }
  if (length === 16 && (arphrd === ARPHRD_TUNNEL6 || arphrd === ARPHRD_IP6GRE)) return ipv6Text(data, offset);
  return hexColonText(data, offset, length);
}

/**
 * inetBytes parses an IPv4 or IPv6 address in text form (the inverse of
 * inetText), or returns undefined for something that is not one.
 *
 * @example
 * inetBytes('2001:db8::1')?.length; // 16
 */
export function inetBytes(text: string): Uint8Array | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? Uint8Array.from(bytes) : undefined;
  }
  if (!text.includes(':')) return undefined;
  let tail: number[] = [];
  let body = text;
  const embedded = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (embedded) {
    const four = inetBytes(embedded[2]);
    if (!four) return undefined;
    tail = [(four[0] << 8) | four[1], (four[2] << 8) | four[3]];
    body = embedded[1].endsWith('::') ? embedded[1] : embedded[1].slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((w) => (/^[0-9a-f]{1,4}$/i.test(w) ? parseInt(w, 16) : NaN)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const given = head.length + rest.length + tail.length;
  if (head.some(Number.isNaN) || rest.some(Number.isNaN)) return undefined;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const words = [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => { bytes[2 * i] = w >> 8; bytes[2 * i + 1] = w & 0xff; });
  return bytes;
}
