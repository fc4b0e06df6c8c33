/**
 * mptcp_pm described: the path manager's endpoints dumped through
 * `genl().use(mptcpPmFamily)` in a throw-away namespace, beside
 * `ip -j mptcp endpoint show` (IPv4 and IPv6 endpoints, ports, flags, devices).
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import {
  MPTCP_PM_ADDR_FLAG_BACKUP, MPTCP_PM_ADDR_FLAG_SIGNAL, MPTCP_PM_ADDR_FLAG_SUBFLOW, mptcpPmFamily,
} from '../../lib/genl/mptcp-pm.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

/** ip -j prints each flag as a boolean key: "signal": true. */
type IpEndpoint = { address: string; id: number; port?: number; dev?: string } & Record<string, unknown>;

describe.skipIf(!isRoot)('mptcpPmFamily on the real kernel', () => {
  let ns: Netns;
  let client: GenlClient;
  beforeAll(() => {
    ns = createNetns('mptcp');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    // An endpoint with a port listens on its address: the address must be local.
    ns.ip('addr', 'add', '10.0.0.2/24', 'dev', 'v1');
    ns.ip('mptcp', 'endpoint', 'add', '10.0.0.1', 'dev', 'v0', 'signal');
    ns.ip('mptcp', 'endpoint', 'add', '10.0.0.2', 'port', '4000', 'signal');
    ns.ip('mptcp', 'endpoint', 'add', '2001:db8::1', 'id', '9', 'subflow', 'backup');
    client = genl({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });

  it('lists the endpoints ip mptcp endpoint show lists', async () => {
    const ours = await lastValueFrom(client.use(mptcpPmFamily).endpoints().pipe(toArray()));
    const theirs = ns.ipJson<IpEndpoint[]>('mptcp', 'endpoint', 'show');
    const index = new Map(ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show').map((l) => [l.ifname, l.ifindex]));
    const names: [number, string][] = [[MPTCP_PM_ADDR_FLAG_SIGNAL, 'signal'], [MPTCP_PM_ADDR_FLAG_SUBFLOW, 'subflow'],
      [MPTCP_PM_ADDR_FLAG_BACKUP, 'backup']];
    expect(theirs).toHaveLength(3);
    expect(ours.map((e) => ({
      address: e.addr, id: e.id, port: e.port || undefined,
      flags: names.filter(([bit]) => (e.flags ?? 0) & bit).map(([, n]) => n),
      ifindex: e.ifindex || undefined,
    }))).toEqual(theirs.map((e) => ({
      address: e.address, id: e.id, port: e.port, flags: names.map(([, n]) => n).filter((n) => e[n] === true), ifindex: e.dev === undefined ? undefined : index.get(e.dev),
    })));
    expect(ours.every((e) => e.problems === undefined)).toBe(true);
  });
});
