/**
 * The sock_diag client against the real kernel: one namespace's sockets
 * through the client's own pool, a missing namespace (not to be taken for a
 * missing diag module: ENOENT from setns, as a syscall error), and close.
 */
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sockdiag, type SockdiagClient } from '../../lib/client/sockdiag.js';
import { NetlinkSyscallError } from '../../lib/errors.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { startSocketFixture, type SocketFixture } from '../sockdiag/socket-fixture.js';

describe.skipIf(!isRoot)('sockdiag client (real kernel)', () => {
  let ns: Netns;
  let fixture: SocketFixture;
  let client: SockdiagClient;

  beforeAll(async () => {
    ns = createNetns('sdclient');
    fixture = await startSocketFixture(ns);
    client = sockdiag({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    fixture?.close();
    ns?.remove();
  });

  it('dumps the namespace\'s listening TCP sockets, the same as ss -tlnH', async () => {
    const listening = await lastValueFrom(client.sockets({ protocol: 'tcp', states: [10] }).pipe(toArray()));
    const ports = listening.map((s) => (s.kind === 'inet' ? s.srcPort : -1)).sort((a, b) => a - b);
    const ss = ns.exec('ss', '-tlnH').trim().split('\n').map((line) => Number(line.trim().split(/\s+/)[3].split(':').pop()))
      .sort((a, b) => a - b);
    expect(ports).toEqual(ss);
    expect(ports).toContain(fixture.tcp4);
    expect(ports).toContain(fixture.tcp6);
  });

  it('cancels a dump taken in part, and the next one on the same pool sees everything', async () => {
    const all = await lastValueFrom(client.sockets().pipe(toArray()));
    for (let i = 0; i < 5; i++) expect(await lastValueFrom(client.sockets().pipe(take(2), toArray()))).toHaveLength(2);
    const again = await lastValueFrom(client.sockets().pipe(toArray()));
    // The pool's own netlink sockets come and go with cancellation (a cancelled dump's socket is closed).
    const cookies = (list: typeof all) => new Set(list.filter((s) => s.kind !== 'netlink').map((s) => s.cookie));
    expect(cookies(again)).toEqual(cookies(all));
    expect(cookies(all).size).toBeGreaterThan(20);
  });

  it('runs lean dumps without the extensions', async () => {
    const lean = await lastValueFrom(client.sockets({ protocol: 'tcp' }, { extensions: 0 }).pipe(toArray()));
    expect(lean.length).toBeGreaterThan(0);
    expect(lean.every((s) => s.kind === 'inet' && s.tcpInfo === undefined && s.skmeminfo === undefined)).toBe(true);
  });

  it('fails in a missing namespace with the syscall\'s ENOENT, not a missing module', async () => {
    const missing = sockdiag({ netns: 'nlrx-test-no-such-namespace' });
    const error = await firstValueFrom(missing.sockets()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkSyscallError);
    expect(error).toMatchObject({ code: 'ENOENT' });
    missing.close();
  });

  it('fails dumps after close with EBADF', async () => {
    const closing = sockdiag({ netns: ns.name });
    expect((await lastValueFrom(closing.sockets({ family: 'unix' }).pipe(toArray()))).length).toBeGreaterThan(0);
    closing.close();
    closing.close();
    await expect(firstValueFrom(closing.sockets())).rejects.toMatchObject({ code: 'EBADF' });
  });
});
