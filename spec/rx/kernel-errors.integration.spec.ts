/**
 * What the real kernel says when it refuses a dump: a NetlinkKernelError with
 * errno, code and its extended-ack text.
 */
import { firstValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETLINK_ROUTE } from '../../lib/codec/header.js';
import { NetlinkKernelError } from '../../lib/errors.js';
import { AF_INET, RTM_GETROUTE } from '../../lib/route/constants.js';
import { dump } from '../../lib/rx/dump.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

describe.skipIf(!isRoot)('kernel refusals (real kernel)', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('kerr');
  });
  afterAll(() => ns?.remove());

  it('fails a strictly checked dump with invalid header values with EINVAL and the kernel’s explanation', async () => {
    const rtmsg = new Uint8Array(12);
    rtmsg[0] = AF_INET;
    rtmsg[1] = 24; // rtm_dst_len: a dump request may not select a prefix
    const error = await firstValueFrom(dump({ protocol: NETLINK_ROUTE, type: RTM_GETROUTE, payload: rtmsg },
      { netns: ns.name, strictCheck: true }).pipe(toArray())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkKernelError);
    const kernel = error as NetlinkKernelError;
    expect(kernel.code).toBe('EINVAL');
    expect(kernel.errno).toBe(22);
    expect(kernel.requestType).toBe(RTM_GETROUTE);
    // The wording is the kernel's; that there is one is ours to deliver.
    expect(kernel.extAckMessage ?? '').not.toBe('');
    console.log(`kernel said: ${kernel.message}`);
  });

  it('the same request without strict checking is a plain dump', async () => {
    const rtmsg = new Uint8Array(12);
    rtmsg[0] = AF_INET;
    rtmsg[1] = 24;
    const messages = await firstValueFrom(dump({ protocol: NETLINK_ROUTE, type: RTM_GETROUTE, payload: rtmsg },
      { netns: ns.name }).pipe(toArray()));
    expect(messages.length).toBe(ns.ipJson<unknown[]>('-4', 'route', 'show', 'table', 'all').length);
  });
});
