/**
 * `NetlinkSocket.ethtool()`: SIOCETHTOOL on a netlink socket reaches the
 * devices of the socket's namespace, errors are typed, and a reply larger
 * than the caller's struct stops at the addon's guard page (EFAULT) instead
 * of writing past it. A GSTRINGS request with len 0 is how to make the real
 * kernel do that: it then writes every string the driver has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETLINK_GENERIC } from '../../lib/codec/header.js';
import { NetlinkSyscallError } from '../../lib/errors.js';
import {
  ETH_GSTRING_LEN, ETH_SS_STATS, ETHTOOL_GDRVINFO, ETHTOOL_GSTRINGS, ethtoolCommand, ethtoolString,
} from '../../lib/ethtool/ethtool-ioctl-decode.js';
import { NetlinkSocket } from '../../lib/transport/netlink-socket.js';
import { createNetns, isRoot, openFds, type Netns } from '../helpers/netns.js';

describe.skipIf(!isRoot)('NetlinkSocket.ethtool (real kernel)', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('ethtool-ioctl');
    ns.ip('link', 'add', 'e0', 'type', 'veth', 'peer', 'name', 'e1');
  });
  afterAll(() => ns?.remove());

  it('asks the device of the socket\'s namespace, which the host does not have', () => {
    const socket = new NetlinkSocket(NETLINK_GENERIC, { netns: ns.name });
    try {
      const { bytes } = ethtoolCommand(196, ETHTOOL_GDRVINFO);
      socket.ethtool('e0', bytes);
      expect(ethtoolString(bytes, 4, 32)).toBe('veth');
    } finally {
      socket.close();
    }
    const host = new NetlinkSocket(NETLINK_GENERIC);
    try {
      expect(() => host.ethtool(`nlrx-none${process.pid % 1000}`, ethtoolCommand(196, ETHTOOL_GDRVINFO).bytes))
        .toThrow(expect.objectContaining({ code: 'ENODEV', syscall: 'ioctl' }));
    } finally {
      host.close();
    }
  });

  it('types the kernel\'s refusals: EOPNOTSUPP for lo, ENODEV for a name too long for struct ifreq', () => {
    const socket = new NetlinkSocket(NETLINK_GENERIC, { netns: ns.name });
    try {
      const drvinfo = ethtoolCommand(196, ETHTOOL_GDRVINFO).bytes;
      let error: unknown;
      try {
        socket.ethtool('lo', drvinfo);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NetlinkSyscallError);
      expect(error).toMatchObject({ code: 'EOPNOTSUPP', errno: 95 });
      expect(() => socket.ethtool('x'.repeat(16), drvinfo)).toThrow(expect.objectContaining({ code: 'ENODEV' }));
      expect(() => socket.ethtool('e0\0x', drvinfo)).toThrow(expect.objectContaining({ code: 'ENODEV' }));
    } finally {
      socket.close();
    }
    expect(() => socket.ethtool('e0', ethtoolCommand(196, ETHTOOL_GDRVINFO).bytes))
      .toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('stops a reply that outgrows the struct at the guard page: EFAULT, the bytes after it untouched', () => {
    const socket = new NetlinkSocket(NETLINK_GENERIC, { netns: ns.name });
    const before = openFds();
    try {
      // Room for one string; veth has ten statistics, and len 0 asks for all of them.
      const memory = new Uint8Array(12 + ETH_GSTRING_LEN + 64).fill(0xa5);
      const strings = memory.subarray(0, 12 + ETH_GSTRING_LEN);
      const { bytes } = ethtoolCommand(strings.length, ETHTOOL_GSTRINGS);
      new DataView(bytes.buffer).setUint32(4, ETH_SS_STATS, true);
      strings.set(bytes);
      for (let i = 0; i < 100; i++) {
        expect(() => socket.ethtool('e0', strings)).toThrow(expect.objectContaining({ code: 'EFAULT' }));
      }
      expect(memory.subarray(strings.length).every((b) => b === 0xa5)).toBe(true);
      // Asked for the right count, the same call succeeds.
      const right = ethtoolCommand(12 + 10 * ETH_GSTRING_LEN, ETHTOOL_GSTRINGS);
      right.view.setUint32(4, ETH_SS_STATS, true);
      right.view.setUint32(8, 10, true);
      socket.ethtool('e0', right.bytes);
      expect(ethtoolString(right.bytes, 12, ETH_GSTRING_LEN)).toBe('peer_ifindex');
    } finally {
      socket.close();
    }
    expect(openFds()).toBe(before - 1);
  });
});
