/**
 * The sockets table of the UI backend (`/live/sockets`, watchSource) over
 * the real kernel, in a throw-away namespace: a process's sockets appear at
 * the next re-read and leave when it ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_KINDS } from '../../lib/ui/live-source.js';
import { liveStreams, type LiveStreams } from '../../lib/ui/live-streams.js';
import { watchSource } from '../../lib/ui/watch-source.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { sseClient, waitFor } from './stream-client.js';

interface Row { kind?: string; state?: number; srcPort?: number; cookie?: string }

describe.skipIf(!isRoot)('the sockets stream over the kernel', () => {
  let ns: Netns;
  let streams: LiveStreams;
  let server: Server;
  let base: string;
  let holder: ChildProcess | undefined;

  beforeAll(async () => {
    ns = createNetns('uisk');
    streams = liveStreams({ source: watchSource, netns: ns.name, heartbeatMs: 0 });
    server = createServer(streams.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    holder?.kill('SIGKILL');
    streams?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    ns?.remove();
  });

  it('is served by default; a listening socket appears, and leaves with its process', async () => {
    expect(STREAM_KINDS).toContain('sockets');
    const sse = sseClient(`http://${base}/live/sockets`);
    try {
      await waitFor(() => sse.mirror.synced === 1, 'synced');
      const listener = () => ([...sse.mirror.rows.values()] as Row[]).find((r) => r.kind === 'inet' && r.state === 10 && r.srcPort === 7100);
      expect(listener()).toBeUndefined();
      holder = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e',
        "require('node:net').createServer().listen(7100, '127.0.0.1'); setInterval(() => undefined, 1 << 30);"], { stdio: 'ignore' });
      await waitFor(() => listener() !== undefined, 'the listener (next re-read)');
      // Keyed by cookie, as text (JSON has no bigint).
      const row = listener()!;
      expect([...sse.mirror.rows.entries()].find(([, v]) => v === row)?.[0]).toBe(row.cookie);
      holder.kill('SIGKILL');
      await waitFor(() => listener() === undefined, 'the listener gone');
    } finally {
      sse.close();
    }
  });
});
