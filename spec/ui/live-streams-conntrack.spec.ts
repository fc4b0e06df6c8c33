/**
 * The connections table of the UI backend (`/live/conntrack`, watchSource)
 * over the real kernel, in a throw-away namespace: entries made and deleted
 * with conntrack-tools reach SSE and WebSocket clients.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_KINDS } from '../../lib/ui/live-source.js';
import { liveStreams, type LiveStreams } from '../../lib/ui/live-streams.js';
import { watchSource } from '../../lib/ui/watch-source.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { sseClient, waitFor, wsClient } from './stream-client.js';

interface Row { orig?: { src?: string; dport?: number }; mark?: number }

describe.skipIf(!isRoot)('the connections stream over the kernel', () => {
  let ns: Netns;
  let streams: LiveStreams;
  let server: Server;
  let base: string;
  const ct = (...args: string[]) => {
    const out = spawnSync('ip', ['netns', 'exec', ns.name, 'conntrack', ...args], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`conntrack ${args.join(' ')}: ${out.stderr}`);
  };
  const flow = ['-p', 'tcp', '-s', '10.7.0.1', '-d', '10.7.0.2', '--sport', '40000', '--dport', '443'];

  beforeAll(async () => {
    ns = createNetns('uict');
    ct('-I', '-p', 'udp', '-s', '10.7.1.1', '-d', '10.7.1.2', '--sport', '5353', '--dport', '53', '-t', '600');
    streams = liveStreams({ source: watchSource, netns: ns.name, heartbeatMs: 0 });
    server = createServer(streams.handler);
    server.on('upgrade', (req, socket, head) => {
      if (!streams.upgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    streams?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    ns?.remove();
  });

  it('is served by default and follows conntrack -I / -U / -D', async () => {
    expect(STREAM_KINDS).toContain('conntrack');
    const sse = sseClient(`http://${base}/live/conntrack`);
    const ws = wsClient(`ws://${base}/live/conntrack`);
    try {
      await waitFor(() => sse.mirror.synced === 1 && ws.mirror.synced === 1, 'both synced');
      const rows = (c: typeof sse) => [...c.mirror.rows.values()] as Row[];
      expect(rows(sse).map((r) => r.orig?.src)).toEqual(['10.7.1.1']);
      ct('-I', ...flow, '--state', 'ESTABLISHED', '-t', '600');
      const https = (c: typeof sse) => rows(c).find((r) => r.orig?.dport === 443);
      await waitFor(() => https(sse) !== undefined && https(ws) !== undefined, 'the new entry');
      ct('-U', ...flow, '-m', '3');
      await waitFor(() => https(sse)?.mark === 3 && https(ws)?.mark === 3, 'the mark');
      ct('-D', ...flow);
      await waitFor(() => https(sse) === undefined && https(ws) === undefined, 'the entry gone');
      expect(rows(ws).map((r) => r.orig?.src)).toEqual(['10.7.1.1']);
      expect(streams.stats().watches).toBe(1);
    } finally {
      sse.close();
      ws.close();
    }
  });
});
