/**
 * Oracle spec for `nlrx ethtool -l|-k DEV` beside the `ethtool` command in a
 * throw-away namespace: stdout, stderr and exit status identical for a veth
 * (channels; features, some changed with ethtool -K), a bridge (no channels:
 * "Operation not supported"), lo, and a device that does not exist (the
 * kernel's extended ack, then "No such device").
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
  });
  afterAll(() => ns?.remove());

  it.each([['-l', 'v0'], ['-l', 'br0'], ['-l', 'nope0'], ['-k', 'v0'], ['-k', 'br0'], ['-k', 'lo'], ['-k', 'nope0']])(
    'ethtool %s %s: the same stdout, stderr and exit status', (option, device) => {
    const theirs = spawnSync('ip', ['netns', 'exec', ns.name, 'ethtool', option, device], { encoding: 'utf8' });
    const ours = spawnSync(process.execPath, [MAIN, '-n', ns.name, 'ethtool', option, device], { encoding: 'utf8' });
    expect({ status: ours.status, stdout: ours.stdout, stderr: ours.stderr })
      .toEqual({ status: theirs.status, stdout: theirs.stdout, stderr: theirs.stderr });
  });

  it('prints the decoded reply with -j', () => {
    const ours = spawnSync(process.execPath, [MAIN, '-n', ns.name, '-j', 'ethtool', '-l', 'v0'], { encoding: 'utf8' });
    const [channels] = JSON.parse(ours.stdout);
    expect(channels).toMatchObject({ header: { ifname: 'v0' }, rxMax: expect.any(Number), rxCount: expect.any(Number) });
  });
});
