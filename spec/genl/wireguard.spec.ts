/**
 * wireguard — a family this kernel lacks — described and decoded from
 * crafted bytes, through the real client and engine over a scripted kernel:
 * nlctrl resolves "wireguard" to id 30, WG_CMD_GET_DEVICE answers with a
 * device, a peer, its endpoint and allowed IPs (bytes built field by field
 * below, following <linux/wireguard.h>). On the real kernel the same dump
 * fails with GenlFamilyNotFoundError.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import { NLM_F_MULTI } from '../../lib/codec/header.js';
import { GenlFamilyNotFoundError } from '../../lib/genl/family-not-found-error.js';
import { CTRL_CMD_GETFAMILY, CTRL_CMD_NEWFAMILY, GENL_ID_CTRL } from '../../lib/genl/genl-constants.js';
import { familyMessage } from '../../lib/genl/nlctrl.js';
import {
  WGALLOWEDIP_A_CIDR_MASK, WGALLOWEDIP_A_FAMILY, WGALLOWEDIP_A_IPADDR, WGDEVICE_A_IFINDEX, WGDEVICE_A_IFNAME,
  WGDEVICE_A_LISTEN_PORT, WGDEVICE_A_PEERS, WGDEVICE_A_PUBLIC_KEY, WGPEER_A_ALLOWEDIPS, WGPEER_A_ENDPOINT,
  WGPEER_A_LAST_HANDSHAKE_TIME, WGPEER_A_PUBLIC_KEY, WGPEER_A_RX_BYTES, WG_CMD_GET_DEVICE, wireguardFamily,
} from '../../lib/genl/wireguard.js';
import { done, FakeKernel, nlmsg, tlv } from '../helpers/fake-kernel.js';
import { isRoot } from '../helpers/netns.js';

const WG_ID = 30;
const KEY = Buffer.alloc(32, 7);
const PEER_KEY = Buffer.alloc(32, 9);

const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return b; };
const nest = (type: number, ...parts: Buffer[]) => tlv(type | 0x8000, Buffer.concat(parts));

/** WG_CMD_GET_DEVICE reply: genlmsghdr (cmd 0, version 1) and the device's attributes. */
function device(seq: number, pid: number): Buffer {
  // struct sockaddr_in: family AF_INET, port 51820 (network order), 192.0.2.7, 8 bytes of zero.
  const sockaddr = Buffer.from([2, 0, 0xca, 0x6c, 192, 0, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0]);
  // struct __kernel_timespec: 1700000000 s, 500000000 ns.
  const timespec = Buffer.concat([u64(1_700_000_000n), u64(500_000_000n)]);
  const payload = Buffer.concat([
    Buffer.from([WG_CMD_GET_DEVICE, 1, 0, 0]),
    tlv(WGDEVICE_A_IFINDEX, u32(5)),
    tlv(WGDEVICE_A_IFNAME, Buffer.from('wg0\0')),
    tlv(WGDEVICE_A_PUBLIC_KEY, KEY),
    tlv(WGDEVICE_A_LISTEN_PORT, u16(51820)),
    nest(WGDEVICE_A_PEERS, nest(0,
      tlv(WGPEER_A_PUBLIC_KEY, PEER_KEY),
      tlv(WGPEER_A_ENDPOINT, sockaddr),
      tlv(WGPEER_A_LAST_HANDSHAKE_TIME, timespec),
      tlv(WGPEER_A_RX_BYTES, u64(123_456_789_012n)),
      nest(WGPEER_A_ALLOWEDIPS,
        nest(0, tlv(WGALLOWEDIP_A_FAMILY, u16(2)), tlv(WGALLOWEDIP_A_IPADDR, Buffer.from([10, 8, 0, 0])),
          tlv(WGALLOWEDIP_A_CIDR_MASK, Buffer.from([16]))),
        nest(0, tlv(WGALLOWEDIP_A_FAMILY, u16(10)), tlv(WGALLOWEDIP_A_IPADDR, Buffer.from('20010db8000000000000000000000000', 'hex')),
          tlv(WGALLOWEDIP_A_CIDR_MASK, Buffer.from([32])))))),
  ]);
  return nlmsg({ type: WG_ID, flags: NLM_F_MULTI, seq, pid, payload });
}

/** A scripted kernel with the wireguard family registered as id 30. */
function scriptedKernel(requests: Buffer[]) {
  return () => {
    const k: FakeKernel = new FakeKernel((req) => {
      requests.push(req.bytes);
      if (req.type === GENL_ID_CTRL && req.bytes[16] === CTRL_CMD_GETFAMILY) {
        const wg = familyMessage.encode({ cmd: CTRL_CMD_NEWFAMILY, genlVersion: 2 }, { name: 'wireguard', id: WG_ID, version: 1 });
        return [[nlmsg({ type: GENL_ID_CTRL, flags: NLM_F_MULTI, seq: req.seq, pid: k.portId, payload: wg }), done(req.seq, k.portId)]];
      }
      return [[device(req.seq, k.portId), done(req.seq, k.portId)]];
    });
    return k;
  };
}

let client: GenlClient | undefined;
afterEach(() => client?.close());

describe('wireguardFamily on crafted bytes', () => {
  it('decodes a device, its peer, endpoint, handshake and allowed IPs', async () => {
    const requests: Buffer[] = [];
    client = genl({ transport: scriptedKernel(requests) });
    const devices = await lastValueFrom(client.use(wireguardFamily).device({ ifname: 'wg0' }).pipe(toArray()));
    expect(devices).toEqual([{
      cmd: WG_CMD_GET_DEVICE, genlVersion: 1, ifindex: 5, ifname: 'wg0', publicKey: KEY.toString('base64'), listenPort: 51820,
      peers: [{
        publicKey: PEER_KEY.toString('base64'),
        endpoint: { family: 2, address: '192.0.2.7', port: 51820 },
        lastHandshakeTime: 1_700_000_000_500,
        rxBytes: 123_456_789_012,
        allowedips: [{ family: 2, ipaddr: '10.8.0.0', cidrMask: 16 }, { family: 10, ipaddr: '2001:db8::', cidrMask: 32 }],
      }],
    }]);
    // The request: nlmsg_type is the resolved id, genlmsghdr version 1, WGDEVICE_A_IFNAME "wg0".
    const request = requests.find((r) => r.readUInt16LE(4) === WG_ID)!;
    expect(request[16]).toBe(WG_CMD_GET_DEVICE);
    expect(request[17]).toBe(1);
    expect(request.subarray(20).includes(Buffer.from('wg0\0'))).toBe(true);
  });
});

describe.skipIf(!isRoot)('wireguardFamily on this kernel', () => {
  it('fails with GenlFamilyNotFoundError naming wireguard', async () => {
    client = genl();
    const error = await lastValueFrom(client.use(wireguardFamily).device({ ifname: 'wg0' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenlFamilyNotFoundError);
    expect(error).toMatchObject({ code: 'ENOENT', family: 'wireguard' });
  });
});
