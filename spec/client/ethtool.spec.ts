/**
 * The ethtool client on the real kernel, beside the `ethtool` command in a
 * throw-away namespace: the ioctl queries (`-i`, `-S`) and the netlink
 * family's commands from one object, typed errors, no fd left open.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ethtool, type EthtoolClient } from '../../lib/client/ethtool.js';
import { NetlinkError } from '../../lib/errors.js';
import { createNetns, isRoot, openFds, type Netns } from '../helpers/netns.js';

/** `ethtool -i`'s "key: value" lines. */
const fields = (text: string) => Object.fromEntries(text.trimEnd().split('\n').map((line) => {
  const at = line.indexOf(': ');
  return [line.slice(0, at), line.slice(at + 2)];
}));

describe.skipIf(!isRoot)('ethtool() on the real kernel', () => {
  let ns: Netns;
  let client: EthtoolClient;
  beforeAll(() => {
    ns = createNetns('ethtool-client');
    ns.ip('link', 'add', 'q0', 'numrxqueues', '4', 'numtxqueues', '4', 'type', 'veth', 'peer', 'name', 'q1',
      'numrxqueues', '4', 'numtxqueues', '4');
    ns.exec('ethtool', '-L', 'q0', 'rx', '2', 'tx', '3');
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    client = ethtool({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });

  it.each(['q0', 'br0'])('driverInfo(%s) is what ethtool -i prints', async (device) => {
    const info = await lastValueFrom(client.driverInfo(device));
    const shown = fields(ns.exec('ethtool', '-i', device));
    expect({
      driver: info.driver, version: info.version, 'firmware-version': info.firmwareVersion,
      'expansion-rom-version': info.expansionRomVersion, 'bus-info': info.busInfo,
      'supports-statistics': info.stats ? 'yes' : 'no', 'supports-priv-flags': info.privFlags ? 'yes' : 'no',
    }).toEqual({
      driver: shown.driver, version: shown.version, 'firmware-version': shown['firmware-version'] ?? '',
      'expansion-rom-version': shown['expansion-rom-version'] ?? '', 'bus-info': shown['bus-info'] ?? '',
      'supports-statistics': shown['supports-statistics'], 'supports-priv-flags': shown['supports-priv-flags'],
    });
  });

  it('statistics() are ethtool -S\'s names and counters, in its order, per queue in use', async () => {
    const { ifname, statistics } = await lastValueFrom(client.statistics('q0'));
    const shown = ns.exec('ethtool', '-S', 'q0').split('\n').slice(1, -1).map((line) => line.trim().split(': '));
    expect(ifname).toBe('q0');
    expect(statistics.map(({ name, value }) => [name, String(value)])).toEqual(shown);
    // veth's first counter is its peer's ifindex; the counters follow the queues ethtool -L left in use.
    const [peer] = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'q1');
    expect(statistics[0]).toEqual({ name: 'peer_ifindex', value: BigInt(peer.ifindex) });
    expect(statistics.filter(({ name }) => /^rx_queue_\d+_drops$/.test(name))).toHaveLength(2);
    expect(statistics.filter(({ name }) => /^tx_queue_\d+_xdp_xmit$/.test(name))).toHaveLength(3);
  });

  it('has no statistics for a bridge, and the netlink commands beside them', async () => {
    expect(await lastValueFrom(client.statistics('br0'))).toEqual({ ifname: 'br0', statistics: [] });
    const [channels] = await lastValueFrom(client.channels({ ifname: 'q0' }).pipe(toArray()));
    expect(channels).toMatchObject({ header: { ifname: 'q0' }, rxCount: 2, txCount: 3 });
  });

  it('fails with typed errors: ENODEV, EOPNOTSUPP (lo), ENOENT for a namespace that does not exist', async () => {
    await expect(lastValueFrom(client.driverInfo('nope0'))).rejects.toMatchObject({ code: 'ENODEV' });
    await expect(lastValueFrom(client.statistics('nope0'))).rejects.toMatchObject({ code: 'ENODEV' });
    await expect(lastValueFrom(client.driverInfo('lo'))).rejects.toBeInstanceOf(NetlinkError);
    await expect(lastValueFrom(client.driverInfo('lo'))).rejects.toMatchObject({ code: 'EOPNOTSUPP' });
    const missing = ethtool({ netns: `${ns.name}-missing` });
    await expect(lastValueFrom(missing.driverInfo('q0'))).rejects.toMatchObject({ code: 'ENOENT' });
    missing.close();
  });

  it('is cold and leaves no socket open, whatever the outcome', async () => {
    const before = openFds();
    const query = client.statistics('q0');
    expect(openFds()).toBe(before);
    for (let i = 0; i < 50; i++) {
      await lastValueFrom(query);
      await lastValueFrom(client.driverInfo('nope0')).catch(() => undefined);
    }
    expect(openFds()).toBe(before);
  });
});
