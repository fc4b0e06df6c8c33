import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributeCursor } from '../../lib/codec/attributes.js';
import {
  NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, readHeader,
} from '../../lib/codec/header.js';
import { NetlinkError, NetlinkSyscallError } from '../../lib/errors.js';
import { NetlinkSocket } from '../../lib/transport/netlink-socket.js';
import { rawDumpRequest } from '../helpers/raw-dump-request.js';
import { addRoutes, createNetns, isRoot, openFds, type Netns } from '../helpers/netns.js';

// From <linux/rtnetlink.h> and <linux/if_link.h>.
const RTM_GETLINK = 18;
const RTM_GETROUTE = 26;
const IFLA_IFNAME = 3;
const IFINFOMSG_SIZE = 16;
const RTMSG_SIZE = 12;

/** Reads batches until NLMSG_DONE; returns every message's (type, offset) and the batch count. */
async function readDump(socket: NetlinkSocket, onMessage: (data: Buffer, offset: number) => void) {
  let batches = 0;
  for (;;) {
    const batch = await socket.read();
    batches++;
    for (let at = 0; at < batch.data.length;) {
      const msg = readHeader(batch.data, at);
      if (msg.type === NLMSG_DONE) return batches;
      if (msg.type === NLMSG_ERROR) throw new Error(`dump failed: errno ${-batch.data.readInt32LE(at + 16)}`);
      onMessage(batch.data, at);
      at += (msg.length + 3) & ~3;
    }
  }
}

describe.skipIf(!isRoot)('NetlinkSocket (real kernel)', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('sock');
    ns.ip('link', 'add', 'nlrx-a', 'type', 'veth', 'peer', 'name', 'nlrx-b');
  });
  afterAll(() => ns?.remove());

  it('dumps the links of a namespace and finds the test’s own veth pair', async () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name });
    try {
      expect(socket.portId).toBeGreaterThan(0);
      socket.send(rawDumpRequest(RTM_GETLINK, IFINFOMSG_SIZE, 1));
      const names: string[] = [];
      await readDump(socket, (data, offset) => {
        const cursor = new AttributeCursor(data, offset + NLMSG_HDRLEN + IFINFOMSG_SIZE, offset + data.readUInt32LE(offset));
        while (cursor.next()) if (cursor.type === IFLA_IFNAME) names.push(cursor.string());
      });
      expect(names.sort()).toEqual(['lo', 'nlrx-a', 'nlrx-b']);
    } finally {
      socket.close();
    }
  });

  it('opens by path as well as by name', () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: `/run/netns/${ns.name}` });
    expect(socket.portId).toBeGreaterThan(0);
    socket.close();
  });

  it('fails with typed errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(NetlinkSyscallError);
        expect(e).toBeInstanceOf(NetlinkError);
        return (e as NetlinkSyscallError).code;
      }
      return 'no error';
    };
    expect(code(() => new NetlinkSocket(NETLINK_ROUTE, { netns: 'nlrx-test-does-not-exist' }))).toBe('ENOENT');
    expect(code(() => new NetlinkSocket(NETLINK_ROUTE, { netns: '../netns/x' }))).toBe('EINVAL');
    expect(code(() => new NetlinkSocket(NETLINK_ROUTE, { netns: 'a..b' }))).toBe('EINVAL');
    expect(code(() => new NetlinkSocket(NETLINK_ROUTE, { netns: '/etc/hostname' }))).toBe('EINVAL');
    expect(code(() => new NetlinkSocket(99))).toBe('EPROTONOSUPPORT');
  });

  it('names a missing namespace (ENOENT)', () => {
    const error = (() => {
      try {
        new NetlinkSocket(NETLINK_ROUTE, { netns: 'nlrx-test-does-not-exist' });
      } catch (e) {
        return e as NetlinkSyscallError;
      }
    })();
    expect(error).toMatchObject({ code: 'ENOENT', syscall: 'open' });
    expect(error?.message).toContain('"nlrx-test-does-not-exist"');
    expect(error?.message).toContain('does not exist');
  });

  it('says that entering a namespace needs root (EPERM from setns, as another user)', async () => {
    const socketModule = fileURLToPath(new URL('../../dist/transport/netlink-socket.js', import.meta.url));
    // An unprivileged user can open its own namespace file, but setns needs CAP_SYS_ADMIN.
    const script = `
      const { NetlinkSocket } = await import(${JSON.stringify(socketModule)});
      try { new NetlinkSocket(0, { netns: '/proc/self/ns/net' }); console.log(JSON.stringify({ opened: true })); }
      catch (e) { console.log(JSON.stringify({ code: e.code, syscall: e.syscall, name: e.name, message: e.message })); }
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await new Promise((resolve) => child.on('exit', resolve));
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}');
    expect(result).toMatchObject({ code: 'EPERM', syscall: 'setns' });
    expect(result.message).toContain('/proc/self/ns/net');
    expect(result.message).toContain('needs root (CAP_SYS_ADMIN)');
  });

  it('refuses to send after close, and closing twice is harmless', () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE);
    socket.close();
    socket.close();
    expect(socket.closed).toBe(true);
    expect(() => socket.send(rawDumpRequest(RTM_GETLINK, IFINFOMSG_SIZE, 1))).toThrow(
      expect.objectContaining({ code: 'EBADF', syscall: 'send' }),
    );
  });

  it('settles a read pending at close with EBADF', async () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name });
    const pending = socket.read(); // nothing was sent: this read would wait forever
    socket.close();
    await expect(pending).rejects.toMatchObject({ code: 'EBADF' });
    await expect(socket.read()).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('refuses a second read while one is pending', async () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE);
    const first = socket.read();
    await expect(socket.read()).rejects.toMatchObject({ code: 'EALREADY' });
    socket.close();
    await expect(first).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('leaves the fd count unchanged after 1,000 open/close cycles', () => {
    const before = openFds();
    for (let i = 0; i < 1000; i++) {
      const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name });
      socket.close();
    }
    const after = openFds();
    console.log(`fds before ${before}, after 1,000 open/close cycles ${after}`);
    expect(after).toBe(before);
  });

  it.each([
    ['an idle socket', '{}', ''],
    // A read-ahead socket whose dump ended: its reader thread idles in poll().
    ['an idle read-ahead socket after a dump', '{ readAhead: 2 }', `
      keep.send(Buffer.from(${JSON.stringify([...rawDumpRequest(RTM_GETLINK, IFINFOMSG_SIZE, 1)])}));
      await keep.read();`],
  ])('does not keep the process alive with %s', async (_name, options, work) => {
    // The compiled package (npm test builds it first), as a user's program would load it.
    const socketModule = fileURLToPath(new URL('../../dist/transport/netlink-socket.js', import.meta.url));
    const script = `
      const { NetlinkSocket } = await import(${JSON.stringify(socketModule)});
      const keep = globalThis.keep = new NetlinkSocket(0, ${options});
      ${work}
      console.log('open', globalThis.keep.portId > 0);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, 20_000);
      child.on('exit', (codeValue) => { clearTimeout(timer); resolve(codeValue); });
    });
    expect(out).toContain('open true');
    expect(exited).toBe(0);
  });

  it.each([
    ['demand-driven', {}],
    ['read-ahead', { readAhead: 2 }],
  ])('reports an overrun as ENOBUFS and keeps reading (%s)', async (name, options) => {
    const RTNLGRP_IPV4_ROUTE = 7;
    const prefix = name === 'demand-driven' ? 210 : 220;
    // The smallest receive buffer the kernel allows, and nobody reading: notifications overflow it.
    const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name, groups: [RTNLGRP_IPV4_ROUTE], rcvbuf: 4096, ...options });
    try {
      ns.ip('link', 'set', 'nlrx-a', 'up');
      ns.batch(Array.from({ length: 2000 }, (_, i) => `route add 10.${prefix}.${i >> 8}.${i & 255}/32 dev nlrx-a`));
      // The kernel reports the overrun before any queued datagram.
      await expect(socket.read()).rejects.toMatchObject({ code: 'ENOBUFS', syscall: 'recvmsg' });
      // Still usable: each round adds a route first, so every read has something to return.
      let found = false;
      const codes: string[] = [];
      for (let i = 0; i < 50 && !found; i++) {
        ns.ip('route', 'add', `10.${prefix + 1}.0.${i}/32`, 'dev', 'nlrx-a');
        try {
          const batch = await socket.read();
          found = batch.data.includes(Buffer.from([10, prefix + 1, 0]));
        } catch (e) {
          codes.push((e as NetlinkSyscallError).code); // the buffer may still have been full
        }
      }
      expect(found).toBe(true);
      expect(codes.every((c) => c === 'ENOBUFS')).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('reports the source namespace id of each datagram with listenAllNsid', async () => {
    const RTNLGRP_LINK = 1;
    const peer = createNetns('peer');
    try {
      // In our namespace, the peer namespace is known as nsid 7.
      ns.ip('netns', 'set', peer.name, '7');
      const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name, groups: [RTNLGRP_LINK], listenAllNsid: true });
      try {
        peer.ip('link', 'add', 'nsid-a', 'type', 'veth', 'peer', 'name', 'nsid-b');
        ns.ip('link', 'set', 'nlrx-b', 'mtu', '1400');
        const seen = new Map<number, string[]>();
        // Link notifications from both namespaces: the peer's two veths, our MTU change.
        for (let i = 0; i < 20 && !(seen.get(7)?.includes('nsid-a') && seen.get(-1)?.includes('nlrx-b')); i++) {
          const batch = await socket.read();
          expect(batch.nsids).toHaveLength(batch.ends.length);
          let start = 0;
          batch.ends.forEach((end, d) => {
            for (let at = start; at < end;) {
              const length = batch.data.readUInt32LE(at);
              const cursor = new AttributeCursor(batch.data, at + NLMSG_HDRLEN + IFINFOMSG_SIZE, at + length);
              while (cursor.next()) {
                if (cursor.type === IFLA_IFNAME) seen.set(batch.nsids![d], [...(seen.get(batch.nsids![d]) ?? []), cursor.string()]);
              }
              at += (length + 3) & ~3;
            }
            start = end;
          });
        }
        expect(seen.get(7)).toContain('nsid-a');
        // Our own namespace's notifications carry no nsid (NETNSA_NSID_NOT_ASSIGNED).
        expect(seen.get(-1)).toContain('nlrx-b');
        expect(seen.get(7)).not.toContain('nlrx-b');
      } finally {
        socket.close();
      }
    } finally {
      peer.remove();
    }
  });

  describe('with 100k routes', () => {
    beforeAll(() => {
      ns.ip('link', 'set', 'nlrx-a', 'up');
      addRoutes(ns, 'nlrx-a', 100_000);
    });

    it('keeps the event loop turning while a dump is read', async () => {
      const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name });
      // An immediate that reschedules itself runs once per event-loop turn: it
      // counts turns between reads without depending on the clock.
      let turnsDuringDump = 0;
      let reading = true;
      const turn = () => {
        if (!reading) return;
        turnsDuringDump++;
        setImmediate(turn);
      };
      try {
        socket.send(rawDumpRequest(RTM_GETROUTE, RTMSG_SIZE, 7));
        setImmediate(turn);
        let routes = 0;
        const started = performance.now();
        const batches = await readDump(socket, () => routes++);
        reading = false;
        console.log(`100k-route dump: ${routes} messages in ${batches} batches, ${socket.recvCalls} recv calls, ` +
          `${(performance.now() - started).toFixed(0)} ms; event-loop turns during the dump ${turnsDuringDump}`);
        expect(routes).toBeGreaterThanOrEqual(100_000);
        // Batches are bounded: the dump arrives in many reads, and the loop turned between them.
        expect(batches).toBeGreaterThan(10);
        expect(turnsDuringDump).toBeGreaterThanOrEqual(batches - 1);
        // 32 KiB chunks: ~100 bytes a route means well under 100k/64 datagrams.
        expect(socket.recvCalls).toBeLessThan(1000);
      } finally {
        reading = false;
        socket.close();
      }
    });

    it('reads the same dump with a read-ahead thread', async () => {
      const count = async (options: { readAhead?: number }) => {
        const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name, ...options });
        try {
          socket.send(rawDumpRequest(RTM_GETROUTE, RTMSG_SIZE, 9));
          let routes = 0;
          const started = performance.now();
          await readDump(socket, () => routes++);
          return { routes, ms: performance.now() - started };
        } finally {
          socket.close();
        }
      };
      const plain = await count({});
      const ahead = await count({ readAhead: 2 });
      console.log(`100k routes: demand-driven ${plain.ms.toFixed(0)} ms, read-ahead ${ahead.ms.toFixed(0)} ms`);
      expect(ahead.routes).toBe(plain.routes);
    });

    it('closes read-ahead sockets mid-dump without leaking fds or threads', async () => {
      const threads = () => readdirSync('/proc/self/task').length;
      const before = openFds();
      const threadsBefore = threads();
      for (let i = 0; i < 100; i++) {
        const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name, readAhead: 2 });
        socket.send(rawDumpRequest(RTM_GETROUTE, RTMSG_SIZE, 12));
        await socket.read();
        const pending = socket.read();
        socket.close();
        // Either the batch was already queued, or the read settles with EBADF: never a hang.
        await pending.catch((e: NetlinkSyscallError) => expect(e.code).toBe('EBADF'));
      }
      expect(openFds()).toBe(before);
      expect(threads()).toBe(threadsBefore);
    });
  });
});
