/**
 * The wireguard generic netlink family (<linux/wireguard.h>), described —
 * the proof that a family is a description: no decoding code of its own, a
 * device with its peers and their allowed IPs follows from the attribute
 * sets below. Kernels without wireguard fail its dumps with
 * `GenlFamilyNotFoundError`.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { base64, custom, inet, nestedArray, string, u16, u32, u64n, u8 } from '../codec/attribute-type.js';
import { describeMessage } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import { ipv4Text, ipv6Text } from '../codec/address-text.js';
import { NetlinkDecodeError } from '../errors.js';
import { describeGenlFamily } from './genl-family.js';
import { genlmsghdr } from './genl-header.js';

export const WG_GENL_NAME = 'wireguard';
export const WG_GENL_VERSION = 1;
export const WG_CMD_GET_DEVICE = 0;

// enum wgdevice_attribute
export const WGDEVICE_A_IFINDEX = 1;
export const WGDEVICE_A_IFNAME = 2;
export const WGDEVICE_A_PRIVATE_KEY = 3;
export const WGDEVICE_A_PUBLIC_KEY = 4;
export const WGDEVICE_A_FLAGS = 5;
export const WGDEVICE_A_LISTEN_PORT = 6;
export const WGDEVICE_A_FWMARK = 7;
export const WGDEVICE_A_PEERS = 8;
// enum wgpeer_attribute
export const WGPEER_A_PUBLIC_KEY = 1;
export const WGPEER_A_PRESHARED_KEY = 2;
export const WGPEER_A_FLAGS = 3;
export const WGPEER_A_ENDPOINT = 4;
export const WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL = 5;
export const WGPEER_A_LAST_HANDSHAKE_TIME = 6;
export const WGPEER_A_RX_BYTES = 7;
export const WGPEER_A_TX_BYTES = 8;
export const WGPEER_A_ALLOWEDIPS = 9;
export const WGPEER_A_PROTOCOL_VERSION = 10;
// enum wgallowedip_attribute
export const WGALLOWEDIP_A_FAMILY = 1;
export const WGALLOWEDIP_A_IPADDR = 2;
export const WGALLOWEDIP_A_CIDR_MASK = 3;

/** A peer's endpoint (struct sockaddr_in or sockaddr_in6) as `wg` prints it. */
export interface WireguardEndpoint {
  family: number;
  address: string;
  port: number;
}

/** One allowed IP range of a peer. */
export interface WireguardAllowedIp {
  family?: number;
  ipaddr?: string;
  cidrMask?: number;
  unknown?: RawAttribute[];
}

/** One peer of a device; keys in base64, as `wg show` prints them. */
export interface WireguardPeer {
  publicKey?: string;
  presharedKey?: string;
  flags?: number;
  endpoint?: WireguardEndpoint;
  persistentKeepaliveInterval?: number;
  /** struct __kernel_timespec, in milliseconds since the epoch (0: never). */
  lastHandshakeTime?: number;
  rxBytes?: number;
  txBytes?: number;
  allowedips?: WireguardAllowedIp[];
  protocolVersion?: number;
  unknown?: RawAttribute[];
}

/** A wireguard device (one reply of WG_CMD_GET_DEVICE; a device with many peers comes in several). */
export interface WireguardDevice {
  cmd: number;
  genlVersion: number;
  ifindex?: number;
  ifname?: string;
  privateKey?: string;
  publicKey?: string;
  flags?: number;
  listenPort?: number;
  fwmark?: number;
  peers?: WireguardPeer[];
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

const AF_INET = 2;
const AF_INET6 = 10;

const endpoint = custom<WireguardEndpoint>('struct sockaddr', (d, off, n) => {
  const family = d.readUInt16LE(off);
  const port = d.readUInt16BE(off + 2);
  if (family === AF_INET && n >= 16) return { family, port, address: ipv4Text(d, off + 4) };
  if (family === AF_INET6 && n >= 28) return { family, port, address: ipv6Text(d, off + 8) };
  throw new NetlinkDecodeError(`sockaddr of family ${family} in ${n} bytes`, off, ['wireguard', 'WGPEER_A_ENDPOINT']);
}, { minSize: 4 });

const timespec = custom<number>('struct __kernel_timespec', (d, off) =>
  Number(d.readBigInt64LE(off)) * 1000 + Math.floor(Number(d.readBigInt64LE(off + 8)) / 1e6), { size: 16 });

const peerAttributes = attributeSet('WGDEVICE_A_PEERS', {
  publicKey: attr(WGPEER_A_PUBLIC_KEY, base64),
  presharedKey: attr(WGPEER_A_PRESHARED_KEY, base64),
  flags: attr(WGPEER_A_FLAGS, u32),
  endpoint: attr(WGPEER_A_ENDPOINT, endpoint),
  persistentKeepaliveInterval: attr(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, u16),
  lastHandshakeTime: attr(WGPEER_A_LAST_HANDSHAKE_TIME, timespec),
  rxBytes: attr(WGPEER_A_RX_BYTES, u64n),
  txBytes: attr(WGPEER_A_TX_BYTES, u64n),
  allowedips: attr(WGPEER_A_ALLOWEDIPS, nestedArray(attributeSet('WGPEER_A_ALLOWEDIPS', {
    family: attr(WGALLOWEDIP_A_FAMILY, u16),
    ipaddr: attr(WGALLOWEDIP_A_IPADDR, inet),
    cidrMask: attr(WGALLOWEDIP_A_CIDR_MASK, u8),
  }))),
  protocolVersion: attr(WGPEER_A_PROTOCOL_VERSION, u32),
});

/**
 * deviceMessage is WG_CMD_GET_DEVICE's reply, described.
 *
 * @example
 * const device = deviceMessage.decode(msg);
 */
export const deviceMessage = describeMessage<WireguardDevice>('WG_CMD_GET_DEVICE', genlmsghdr, attributeSet('wireguard', {
  ifindex: attr(WGDEVICE_A_IFINDEX, u32),
  ifname: attr(WGDEVICE_A_IFNAME, string),
  privateKey: attr(WGDEVICE_A_PRIVATE_KEY, base64),
  publicKey: attr(WGDEVICE_A_PUBLIC_KEY, base64),
  flags: attr(WGDEVICE_A_FLAGS, u32),
  listenPort: attr(WGDEVICE_A_LISTEN_PORT, u16),
  fwmark: attr(WGDEVICE_A_FWMARK, u32),
  peers: attr(WGDEVICE_A_PEERS, nestedArray(peerAttributes)),
}));

/**
 * wireguardFamily: `genl().use(wireguardFamily).device({ ifname: 'wg0' })`
 * dumps a device and its peers (WG_CMD_GET_DEVICE).
 *
 * @example
 * genl().use(wireguardFamily).device({ ifname: 'wg0' }).subscribe((d) => console.log(d.publicKey, d.peers?.length));
 */
export const wireguardFamily = describeGenlFamily(WG_GENL_NAME, {
  device: {
    cmd: WG_CMD_GET_DEVICE,
    message: deviceMessage,
    request: (filter: { ifindex?: number; ifname?: string }) => ({ ifindex: filter.ifindex, ifname: filter.ifname }),
  },
});
