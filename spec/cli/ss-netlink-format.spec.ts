/**
 * Netlink lines from crafted sockets, for what the oracle spec's namespace
 * (spec/cli/ss-netlink-packet.spec.ts) cannot easily hold: port id -1 (`*`),
 * a negative port id, a process that is gone, a group past 32 (ss reads one
 * word of the bitmap), a protocol without a name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { netlinkProtocolId, procCommand, ssNetlinkRow } from '../../lib/cli/ss-netlink-format.js';
import type { NetlinkSocket } from '../../lib/sockdiag/socket.js';

const options = { numeric: false, details: false, memory: false, processes: false, oneline: false };
const netlink = (over: Partial<NetlinkSocket>): NetlinkSocket => ({
  kind: 'netlink', type: 3, protocol: 0, state: 7, portid: 0, dstPortid: 0, dstGroup: 0, inode: 1, cookie: 1n, ...over,
});

describe('ssNetlinkRow', () => {
  const command = (pid: number) => (pid === 42 ? 'ip' : undefined);

  it('names the owner: kernel, a process, a port id that is none, *', () => {
    const port = (portid: number, numeric = false) => ssNetlinkRow(netlink({ portid }), { ...options, numeric }, { command }).port;
    expect([port(0), port(42), port(43), port(0xffffffff), port(0x80000001)]).toEqual(['kernel', 'ip/42', '43', '*', '-2147483647']);
    expect([port(0, true), port(42, true)]).toEqual(['0', '42']);
  });

  it('names the protocol unless -n, and numbers one without a name', () => {
    const addr = (protocol: number, numeric = false) => ssNetlinkRow(netlink({ protocol }), { ...options, numeric }, { command }).addr;
    expect([addr(0), addr(4), addr(16), addr(17), addr(16, true)]).toEqual(['rtnl:', 'tcpdiag:', 'genl:', '17:', '16:']);
  });

  it('prints a connected peer as group:portid, and the first 32 groups with -e', () => {
    const row = ssNetlinkRow(netlink({ state: 1, dstGroup: 3, dstPortid: 7, groups: [1, 5, 32, 33] }),
      { ...options, details: true }, { command });
    expect([row.peer, row.peerPort, row.process]).toEqual(['3:', '7', ' sk=0 cb=0 groups=0x80000011']);
  });

  it('reads a command name as ss does, cut at the first )', () => {
    expect(procCommand(process.pid)).toBe(readFileSync('/proc/self/comm', 'latin1').trimEnd().split(')')[0]);
    expect(procCommand(0x7fffffff)).toBeUndefined();
  });

  it('reads a protocol in a filter as nl_proto_a2n: a name, or a number up to 255', () => {
    expect(['genl', 'tcpdiag', '0x10', '020', '255', '256', 'GENL', 'x'].map(netlinkProtocolId)).toEqual([16, 4, 16, 16, 255, undefined, undefined, undefined]);
  });
});
