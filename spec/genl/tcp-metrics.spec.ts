/**
 * tcp_metrics described: after TCP connections on loopback inside a
 * throw-away namespace, the metrics cache dumped through
 * `genl().use(tcpMetricsFamily)` beside `ip -j tcp_metrics show`.
 */
import { execFileSync } from 'node:child_process';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import { tcpMetricsFamily } from '../../lib/genl/tcp-metrics.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

/** One TCP connection from `from` to `to`:5555 on loopback, inside the namespace, closed at once. */
const CONNECT = `
import socket, sys, threading
to, frm = sys.argv[1], sys.argv[2]
family = socket.AF_INET6 if ':' in to else socket.AF_INET
s = socket.socket(family); s.bind((to, 5555)); s.listen()
t = threading.Thread(target=lambda: s.accept()[0].recv(10)); t.start()
c = socket.socket(family); c.bind((frm, 0)); c.connect((to, 5555)); c.send(b'x' * 10); t.join(); c.close(); s.close()
`;

interface IpMetrics { dst: string; source?: string; cwnd?: number; rtt?: number; rttvar?: number }

describe.skipIf(!isRoot)('tcpMetricsFamily on the real kernel', () => {
  let ns: Netns;
  let client: GenlClient;
  beforeAll(() => {
    ns = createNetns('tcpm');
    ns.ip('link', 'set', 'lo', 'up');
    ns.ip('addr', 'add', '127.0.0.2/8', 'dev', 'lo');
    for (const [to, from] of [['127.0.0.1', '127.0.0.1'], ['127.0.0.2', '127.0.0.1'], ['::1', '::1']]) {
      execFileSync('ip', ['netns', 'exec', ns.name, 'python3', '-c', CONNECT, to, from]);
    }
    client = genl({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });

  it('lists the destinations, sources and values ip tcp_metrics show lists', async () => {
    const ours = await lastValueFrom(client.use(tcpMetricsFamily).metrics().pipe(toArray()));
    const theirs = ns.ipJson<IpMetrics[]>('tcp_metrics', 'show');
    expect(theirs.length).toBeGreaterThanOrEqual(2);
    const key = (dst?: string, source?: string) => `${dst} from ${source}`;
    expect(ours.map((m) => key(m.dst, m.source)).sort()).toEqual(theirs.map((m) => key(m.dst, m.source)).sort());
    for (const m of theirs) {
      const mine = ours.find((o) => key(o.dst, o.source) === key(m.dst, m.source))!;
      expect(mine.vals?.cwnd).toBe(m.cwnd);
      // The kernel keeps srtt × 8 and rttvar × 4; ip prints them divided, in seconds.
      if (m.rtt !== undefined) expect(Math.floor(mine.vals!.rttUs! / 8)).toBe(Math.round(m.rtt * 1e6));
      if (m.rttvar !== undefined) expect(Math.floor(mine.vals!.rttvarUs! / 4)).toBe(Math.round(m.rttvar * 1e6));
      expect(mine.age).toBeGreaterThanOrEqual(0);
      expect(mine.problems).toBeUndefined();
    }
  });
});
