/**
 * Oracle spec for `nlrx ss`'s netlink and packet socket lines and `ss -s`: a
 * Python process (named `nlrx-ss-holder`, through a symlink to the
 * interpreter, so its name is as wide as ss's own would be) holds, in a
 * throw-away namespace, netlink sockets — bound with and without groups,
 * connected to the kernel and to a group, a port id that is no process —
 * packet sockets of several ethertypes, bound and not, one with a fanout
 * group, one with auxdata and an rx ring, and TCP, UDP, raw sockets
 * (for `-a` and `-s`; where the kernel has no raw_diag, as here, ss reads
 * raw sockets from /proc/net/raw and raw6, and so does nlrx). `nlrx -n NS ss …` must print what
 * `ip netns exec NS ss …` prints, stdout, stderr and status.
 *
 * Two things differ by nature, and only they are set aside: the dumping
 * process's own sock_diag socket (`tcpdiag:ss/PID` beside
 * `tcpdiag:node/PID`, `4:PID` with -n — its pid, name, queue and place in
 * the kernel's hash differ) is dropped from both outputs; and in `ss -s`
 * the TCP total, closed and orphaned counts, which come from host-wide
 * counters (`alloc`, `orphan` of sockstat) that other processes move, are
 * masked. The fixture has connected netlink sockets (`0:0`, `1:0`), so the
 * dumping socket's own `0:0` widens no column.
 */
import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { startSocketHolder, type SocketHolder } from '../helpers/socket-holder.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Holds the sockets until stdin closes; prints "ready" once they are all in place. */
const FIXTURE = `
import socket, struct, sys
keep = []
SOL_PACKET, PACKET_RX_RING, PACKET_AUXDATA, PACKET_FANOUT = 263, 5, 8, 18
# inet first: the packet sockets below must not see their traffic (their queues would move)
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', 7000)); l.listen(); keep.append(l)
c = socket.create_connection(('127.0.0.1', 7000)); keep.append(c); a, _ = l.accept(); keep.append(a)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 7001)); keep.append(u)
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(('::1', 7002)); keep.append(u6)
w = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253); keep.append(w)
w6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 58); w6.bind(('::1', 0)); keep.append(w6)
def nl(proto, kind=socket.SOCK_RAW, bind=(0, 0), connect=None):
    s = socket.socket(socket.AF_NETLINK, kind, proto); s.bind(bind)
    if connect is not None: s.connect(connect)
    keep.append(s)
nl(0, bind=(0, 1))                    # rtnl, group 1 (RTNLGRP_LINK)
nl(0, connect=(0, 0))                 # connected to the kernel
nl(16, socket.SOCK_DGRAM)             # genl
nl(15, bind=(0, 1))                   # uevent
nl(0, bind=(4000000, 0))              # a port id that is no process
nl(9, connect=(0, 1))                 # audit, connected to group 1
def packet(kind, proto, dev=None):
    s = socket.socket(socket.AF_PACKET, kind, socket.htons(proto))
    if dev: s.bind((dev, proto))
    keep.append(s); return s
packet(socket.SOCK_RAW, 3)
packet(socket.SOCK_DGRAM, 0x0800, 'lo')
packet(socket.SOCK_RAW, 0)
for p in (0x0806, 0x86dd, 0x8100, 0x88a8, 0x88cc, 0x1234):
    packet(socket.SOCK_DGRAM, p)
f = packet(socket.SOCK_RAW, 3, 'lo')
f.setsockopt(SOL_PACKET, PACKET_FANOUT, 7 | (1 << 16))
r = packet(socket.SOCK_RAW, 0x0806, 'lo')
r.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
r.setsockopt(SOL_PACKET, PACKET_RX_RING, struct.pack('IIII', 4096, 1, 2048, 2))
print("ready", flush=True)
sys.stdin.read()
`;

/** Forms compared whole (the dumping socket's own line aside). */
const EXACT: readonly string[][] = [
  ['-a'], [], ['-A', 'netlink'], ['-A', 'packet'], ['-f', 'netlink'], ['-f', 'link'], ['-0'], ['-a', '-A', 'netlink'],
  ['-a', '-A', 'packet'], ['-A', 'netlink,packet', '-a'], ['-A', 'p_raw', '-a'], ['--packet'], ['-f', 'netlink', '-e'],
  ['-f', 'netlink', '-n'], ['-f', 'netlink', '-p'], ['-f', 'netlink', '-H'], ['-f', 'netlink', '-O'], ['-l', '-f', 'netlink'],
  ['-0', '-e'], ['-0', '-p'], ['-0', '-n'], ['-0', '-H'], ['-0', '-l'], ['-0', '-m'], ['-0', '-O', '-e'], ['-0', '-emp'],
  ['-f', 'link', '-e', '-p'], ['-f', 'link', '-n'], ['-A', 'all'], ['-a', '-A', 'all'], ['-an'], ['-ap'], ['-aH'],
  ['-a', '-A', 'netlink', '-e', '-p', '-n'],
  // Filters: a netlink address is protocol:port id, a packet address ethertype:interface.
  ['-A', 'netlink', '-a', 'sport', '=', ':0'], ['-f', 'netlink', 'sport', '!=', ':0'], ['-f', 'netlink', 'src', 'genl'],
  ['-f', 'netlink', 'src', 'rtnl:kernel'], ['-f', 'netlink', 'dst', '1:0'], ['-f', 'netlink', 'src', ':4000000'],
  ['-a', 'src', 'netlink:genl'], ['-0', 'sport', '=', ':1'], ['-0', 'sport', 'ge', ':1'], ['-0', 'dev', 'lo'],
  ['-0', 'not', 'dev', 'lo'], ['-0', 'src', 'ARP:1'], ['-0', 'src', '0x806'], ['-0', 'src', 'arp:lo'], ['-0', 'src', 'ip:*'],
  ['-a', 'src', 'link:*:lo'],
  // Raw sockets (from /proc/net/raw where the kernel has no raw_diag).
  ['-wa'], ['-wan'], ['-wa', '-6'], ['-wap'], ['-wae'], ['-wa', 'src', '0.0.0.0'], ['-wa', 'dst', '[::1]'],
];

/** The dumping process's own sock_diag socket: `tcpdiag:ss/123`, `tcpdiag:node/123`, or `4:123` with -n. */
const ownSocket = /\s(tcpdiag:(ss|node)\/\d+|4:[1-9]\d*)\s/;
const withoutOwn = (text: string) => text.split('\n').filter((line) => !ownSocket.test(line)).join('\n');
const untrailed = (text: string) => text.replace(/ +$/gm, '');
/** Host-wide counters of `ss -s` (sockstat's alloc and orphan): masked. */
const hostless = (text: string) =>
  text.replace(/^TCP: {3}\d+ \(estab (\d+), closed -?\d+, orphaned \d+,/m, 'TCP:   N (estab $1, closed N, orphaned N,');

describe.skipIf(!isRoot)('nlrx ss netlink and packet lines, ss -s, beside ss', () => {
  let ns: Netns;
  let fixture: SocketHolder;
  const ss = (...args: string[]) => spawnSync('ip', ['netns', 'exec', ns.name, 'ss', ...args], { encoding: 'utf8' });
  const nlrx = (...args: string[]) => spawnSync(process.execPath, [MAIN, '-n', ns.name, 'ss', ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    ns = createNetns('ssnl');
    const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    // The fixture's command name is what ss shows as the netlink sockets' owner.
    fixture = await startSocketHolder(ns, 'ssnl', (dir) => {
      symlinkSync(python, join(dir, 'nlrx-ss-holder'));
      writeFileSync(join(dir, 'holder.py'), FIXTURE);
      return [join(dir, 'nlrx-ss-holder'), join(dir, 'holder.py')];
    });
  }, 30_000);
  afterAll(() => {
    fixture?.stop();
    ns?.remove();
  });

  it('has the fixture it describes', () => {
    const all = ss('-a').stdout;
    for (const needle of ['rtnl:nlrx-ss-holder/', 'rtnl:kernel', 'rtnl:4000000', '0:0', 'audit:nlrx-ss-holder/', '1:0',
      'genl:nlrx-ss-holder/', 'uevent:nlrx-ss-holder/', 'p_raw', 'p_dgr', ' ip:lo', '[0]:*', 'arp:*', 'ipv6:*', '802.1Q:*',
      '802.1ad:*', 'LLDP:*', '[4660]:*', '*:lo', 'arp:lo', 'tcp', 'udp', '0.0.0.0:ipproto-253', '[::1]:ipv6-icmp']) {
      expect(all).toContain(needle);
    }
    expect(ss('-0', '-e').stdout).toMatch(/fanout\(id:7,type:lb\)[\s\S]*flags\( running auxdata \)\n\tring_rx\(/);
  });

  it.each(EXACT.map((form) => [form.join(' '), form]))('ss %s prints what ss prints', (_, form) => {
    const theirs = ss(...form);
    const ours = nlrx(...form);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.status).toBe(theirs.status);
    expect(withoutOwn(ours.stdout)).toBe(withoutOwn(theirs.stdout));
    expect(ours.stdout.split('\n').length).toBeGreaterThan(1);
  });

  it('refuses the addresses ss refuses, with its words and status', () => {
    for (const form of [['-0', 'src', 'nope'], ['-f', 'netlink', 'src', '300'], ['-0', 'src', 'arp:nosuch'], ['-f', 'netlink', 'src', 'genl:x']]) {
      const theirs = ss(...form);
      const ours = nlrx(...form);
      expect([ours.status, ours.stderr, ours.stdout]).toEqual([theirs.status, theirs.stderr, theirs.stdout]);
      expect(ours.status).not.toBe(0);
    }
  });

  it.each([['-f', 'netlink', '-m'], ['-A', 'netlink', '-aem'], ['-f', 'netlink', '-O', '-m']].map((form) => [form.join(' '), form]))(
    'ss %s prints what ss prints, the padding the own socket\'s memory gives the last column aside', (_, form) => {
      const theirs = ss(...form);
      const ours = nlrx(...form);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.status).toBe(theirs.status);
      expect(untrailed(withoutOwn(ours.stdout))).toBe(untrailed(withoutOwn(theirs.stdout)));
      expect(ours.stdout).toContain('\t skmem:(r0,rb');
    });

  it.each([['-s'], ['-s', '-a'], ['-s', '-n'], ['-s', '-f', 'netlink'], ['-s', '-0'], ['-s', '-t', 'state', 'established'],
    ['-s', 'state', 'listening']].map((form) => [form.join(' '), form]))(
    'ss %s prints the summary ss prints, host-wide TCP counters aside', (_, form) => {
      const theirs = ss(...form);
      const ours = nlrx(...form);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.status).toBe(theirs.status);
      expect(hostless(withoutOwn(ours.stdout))).toBe(hostless(withoutOwn(theirs.stdout)));
      // The namespace's own counts: the holder's sockets, its two established TCP sockets, its UDP sockets.
      expect(ours.stdout).toMatch(/^Total: \d+\nTCP: {3}\d+ \(estab 2, closed \d+, orphaned \d+, timewait 0\)\n\n/);
      expect(ours.stdout).toContain('UDP\t  2         1         1        \n');
      expect(ours.stdout).toContain('TCP\t  3         3         0        \n');
      expect(ours.stdout).toContain('RAW\t  2         1         1        \n');
    });
});
