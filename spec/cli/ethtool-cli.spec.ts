/**
 * Oracle spec for `nlrx ethtool [-i|-S|-l|-g|-c|-a|-k] DEV` beside the `ethtool`
 * command in a throw-away namespace: stdout, stderr and exit status identical
 * for a veth (channels; features, some changed with ethtool -K), a tap (the
 * message level and a coalescing value changed), a bridge (no channels:
 * "Operation not supported"), lo, and a device that does not exist (the
 * kernel's extended ack, then "No such device"; for the settings, five times
 * and "No data available", exit 75). `-i` and `-S` (the ioctl) also on a
 * veth with four queues of which 3 rx and 2 tx are in use (`ethtool -L`: more
 * counters), and on a name longer than the ioctl's 15 characters; `-S DEV
 * --all-groups | --groups …` (standard statistics, netlink) with ethtool's
 * parameter errors and the kernel's for an unknown group.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe.skipIf(!isRoot)('nlrx ethtool beside ethtool', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('ethtool-cli');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    // Features changed from their defaults, so on/off is not all the spec sees.
    ns.exec('ethtool', '-K', 'v0', 'gro', 'on', 'tso', 'off');
    ns.ip('tuntap', 'add', 'mode', 'tap', 'name', 'tp0');
    ns.exec('ethtool', '-s', 'tp0', 'msglvl', '0x15');
    ns.exec('ethtool', '-C', 'tp0', 'rx-frames', '7');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    ns.ip('link', 'add', 'vq0', 'numrxqueues', '4', 'numtxqueues', '4', 'type', 'veth', 'peer', 'name', 'vq1',
      'numrxqueues', '4', 'numtxqueues', '4');
    ns.exec('ethtool', '-L', 'vq0', 'rx', '3', 'tx', '2');
    // ifb keeps per-queue counters (-S) that move once it is up.
    ns.ip('link', 'add', 'ifb9', 'type', 'ifb');
    ns.ip('link', 'set', 'ifb9', 'up');
  });
  afterAll(() => ns?.remove());

  const devices = ['v0', 'v1', 'tp0', 'br0', 'lo', 'nope0'];
  // -g and -a: no device here has rings or pause settings; their errors are what can be compared.
  it.each([
    ...devices,
    ...['-l', '-c', '-k', '-T', '-P'].flatMap((option) => devices.map((d) => `${option} ${d}`)),
    ...['-g', '-a'].flatMap((option) => ['v0', 'tp0', 'nope0'].map((d) => `${option} ${d}`)),
    ...['-i', '-S', '-k'].flatMap((option) => [...devices, 'vq0', 'ifb9', 'a-name-over-15-chars'].map((d) => `${option} ${d}`)),
    // The standard statistics groups (netlink): every group, some by name, and ethtool's parameter errors.
    ...['v0', 'br0', 'lo', 'nope0'].map((d) => `-S ${d} --all-groups`),
    '-S v0 --groups eth-mac rmon', '-S v0 --groups eth-mac eth-mac', '-S v0 --groups no-such-group',
    '-S v0 --groups', '-S v0 --all-groups --groups rmon', '-S v0 --all-groups extra', '-S v0 --bogus',
  ])('ethtool %s: the same stdout, stderr and exit status', (line) => {
    const args = line.split(' ');
    const theirs = spawnSync('ip', ['netns', 'exec', ns.name, 'ethtool', ...args], { encoding: 'utf8' });
    const ours = spawnSync(process.execPath, [MAIN, '-n', ns.name, 'ethtool', ...args], { encoding: 'utf8' });
    expect({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr })
      .toEqual({ status: theirs.status, stdout: theirs.stdout, stderr: theirs.stderr });
  });

  it('prints the decoded reply with -j', () => {
    const ours = spawnSync(process.execPath, [MAIN, '-n', ns.name, '-j', 'ethtool', '-l', 'v0'], { encoding: 'utf8' });
    const [channels] = JSON.parse(ours.stdout);
    expect(channels).toMatchObject({ header: { ifname: 'v0' }, rxMax: expect.any(Number), rxCount: expect.any(Number) });
  });

  it('prints -i and -S as JSON with -j: the driver struct, and every counter by name', () => {
    const info = spawnSync(process.execPath, [MAIN, '-n', ns.name, '-j', 'ethtool', '-i', 'vq0'], { encoding: 'utf8' });
    expect(JSON.parse(info.stdout)).toEqual([expect.objectContaining({ ifname: 'vq0', driver: 'veth', version: '1.0' })]);
    const theirs = spawnSync('ip', ['netns', 'exec', ns.name, 'ethtool', '-S', 'vq0'], { encoding: 'utf8' });
    const names = theirs.stdout.split('\n').slice(1, -1).map((line) => line.trim().split(': ')[0]);
    const stats = spawnSync(process.execPath, [MAIN, '-n', ns.name, '-j', 'ethtool', '-S', 'vq0'], { encoding: 'utf8' });
    const [reply] = JSON.parse(stats.stdout) as { ifname: string; statistics: { name: string; value: number }[] }[];
    expect(reply.statistics.map((s) => s.name)).toEqual(names);
    expect(names).toContain('rx_queue_2_xdp_packets');
  });
});

/**
 * The host's own devices, read only (nothing is changed in the host's
 * namespace): a physical or virtual NIC there has what no device made in a
 * namespace has — rings, a bus, a driver's statistics (virtio_net on this
 * project's machines). Every device, every read-only form; -S counters of a
 * live NIC move between the two runs, so they are compared with digits masked.
 */
describe('nlrx ethtool beside ethtool on the host\'s devices (read only)', () => {
  const hostDevices = JSON.parse(spawnSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' }).stdout) as { ifname: string }[];
  it.each(hostDevices.flatMap(({ ifname }) => ['-i', '-P', '-g', '-a', '-l', '-c', '-k', '-T', '-S'].map((option) => `${option} ${ifname}`)))(
    'ethtool %s: the same stdout, stderr and exit status',
    (line) => {
      const args = line.split(' ');
      const mask = (text: string) => (args[0] === '-S' ? text.replace(/: \d+$/gm, ': N') : text);
      const theirs = spawnSync('ethtool', args, { encoding: 'utf8' });
      const ours = spawnSync(process.execPath, [MAIN, 'ethtool', ...args], { encoding: 'utf8' });
      expect({ status: ours.status, stdout: mask(ours.stdout), stderr: ours.stderr })
        .toEqual({ status: theirs.status, stdout: mask(theirs.stdout), stderr: theirs.stderr });
    },
  );
});
