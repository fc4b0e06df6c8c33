/**
 * /proc/net files of a namespace: the caller's own read in place; a
 * namespace that does not exist fails as a dump's would (a
 * NetlinkSyscallError from `open`, naming it). Reading another namespace's
 * files is covered beside ss in ss-netlink-packet.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readProcNet } from '../../lib/cli/ss-proc-net.js';
import { NetlinkSyscallError } from '../../lib/errors.js';

describe('readProcNet', () => {
  it("reads the caller's own files, and '' for one that does not exist", async () => {
    const [protocols, none] = await readProcNet(undefined, ['protocols', 'no-such-file']);
    expect(protocols.split('\n')[0]).toBe(readFileSync('/proc/net/protocols', 'utf8').split('\n')[0]);
    expect(none).toBe('');
  });

  it('fails on a namespace that does not exist as a dump would', async () => {
    const error = await readProcNet('nlrx-no-such-namespace', ['sockstat']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkSyscallError);
    expect(error).toMatchObject({ code: 'ENOENT', syscall: 'open' });
    expect((error as Error).message).toContain('"nlrx-no-such-namespace" (/run/netns/nlrx-no-such-namespace) does not exist');
  });
});
