/**
 * The ethtool family described, against the real kernel in a throw-away
 * namespace with the `ethtool` command as the oracle: channels as
 * `ethtool -l` shows them, features on/off as `ethtool -k` shows them (names
 * from the kernel's own bitset), string sets, per device and as a dump over
 * all devices, and ENODEV for a device that does not exist.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import { ETH_SS_FEATURES, ETHTOOL_FLAG_COMPACT_BITSETS, ethtoolFamily, setBits } from '../../lib/genl/ethtool.js';
import { NetlinkKernelError } from '../../lib/errors.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const hasEthtool = (() => {
  try {
    execFileSync('ethtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!isRoot)('ethtoolFamily on the real kernel', () => {
  let ns: Netns;
  let client: GenlClient;
  beforeAll(() => {
    ns = createNetns('ethtool');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    client = genl({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });
  const ethtool = () => client.use(ethtoolFamily);
  const all = <T>(o: import('rxjs').Observable<T>) => lastValueFrom(o.pipe(toArray()));

  it('requires the ethtool command as the oracle (CI installs it)', () => {
    expect(hasEthtool).toBe(true);
  });

  it('reads channels as ethtool -l does, for one device and as a dump over all', async () => {
    const [v0] = await all(ethtool().channels({ ifname: 'v0' }));
    const shown = ns.exec('ethtool', '-l', 'v0');
    const [maxRx, maxTx] = [...shown.matchAll(/^RX:\s+(\d+)$/gm)].map((m) => Number(m[1]));
    const [curTx] = [...shown.matchAll(/^TX:\s+(\d+)$/gm)].map((m) => Number(m[1])).slice(1);
    expect(v0.header).toMatchObject({ ifname: 'v0' });
    expect(v0.rxMax).toBe(maxRx);
    expect(v0.rxCount).toBe(maxTx);
    expect(v0.txCount).toBe(curTx);
    const names = (await all(ethtool().channels())).map((c) => c.header?.ifname);
    expect(names).toEqual(expect.arrayContaining(['v0', 'v1']));
  });

  it('reads features on/off as ethtool -k shows them, names from the kernel', async () => {
    const [features] = await all(ethtool().features({ ifname: 'v0' }));
    const active = new Set(setBits(features.active!));
    const known = new Set(features.hw?.bits?.map((b) => b.name));
    const lines = ns.exec('ethtool', '-k', 'v0').split('\n').slice(1)
      .map((l) => /^\s*([\w-]+): (on|off)/.exec(l)).filter((m) => m !== null && known.has(m[1]));
    expect(lines.length).toBeGreaterThan(10);
    for (const m of lines) expect(`${m![1]}: ${active.has(m![1]) ? 'on' : 'off'}`).toBe(`${m![1]}: ${m![2]}`);
  });

  it('reads compact bitsets whose bits are named by the features string set', async () => {
    const [compact] = await all(ethtool().features({ ifname: 'v0', flags: ETHTOOL_FLAG_COMPACT_BITSETS }));
    const [verbose] = await all(ethtool().features({ ifname: 'v0' }));
    const [strings] = await all(ethtool().strings({ ifname: 'v0', sets: [ETH_SS_FEATURES] }));
    const names = strings.stringsets?.find((s) => s.id === ETH_SS_FEATURES)?.strings ?? [];
    expect(compact.active?.bits).toBeUndefined();
    expect(setBits(compact.active!, names).sort()).toEqual(setBits(verbose.active!).sort());
    expect(setBits(compact.active!, names).length).toBeGreaterThan(5);
  });

  it('reads link info, link modes and link state of a veth', async () => {
    const [info] = await all(ethtool().linkInfo({ ifname: 'v0' }));
    const [modes] = await all(ethtool().linkModes({ ifname: 'v0' }));
    const [state] = await all(ethtool().linkState({ ifname: 'v0' }));
    const shown = ns.exec('ethtool', 'v0');
    expect(shown).toContain(`Speed: ${modes.speed}Mb/s`);
    expect(shown).toContain(`Link detected: ${state.link ? 'yes' : 'no'}`);
    expect(info.problems).toBeUndefined();
  });

  it('asks for one device alone: a device without the feature fails with the kernel\'s EOPNOTSUPP', async () => {
    // ethtool -l br0: "netlink error: Operation not supported" — the same request, the same answer.
    const shown = spawnSync('ip', ['netns', 'exec', ns.name, 'ethtool', '-l', 'br0'], { encoding: 'utf8' });
    expect(shown.stderr).toContain('Operation not supported');
    const error = await all(ethtool().channels({ ifname: 'br0' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkKernelError);
    expect(error).toMatchObject({ code: 'EOPNOTSUPP' });
    // The dump over all devices leaves such devices out instead.
    expect((await all(ethtool().channels())).map((c) => c.header?.ifname)).not.toContain('br0');
  });

  it('fails a device that does not exist with the kernel\'s ENODEV', async () => {
    const error = await all(ethtool().channels({ ifname: 'nope0' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkKernelError);
    expect(error).toMatchObject({ code: 'ENODEV' });
  });
});
