/**
 * Every family's typed dump fails as the dump contract says when a message
 * cannot be an object: a reply shorter than its family's fixed header makes
 * the Observable (and the RxJS-free `forEachDumpObject` the CLI uses) fail
 * with a NetlinkDecodeError (`EPROTO`) — as the stream's error, never thrown
 * asynchronously, with nothing after it delivered and the socket closed.
 */
import type { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NLM_F_MULTI } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { addressRequest, addresses, addressSelector } from '../../lib/route/address.js';
import { RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWNEXTHOP, RTM_NEWROUTE, RTM_NEWRULE } from '../../lib/route/constants.js';
import { linkRequest, links, linkSelector } from '../../lib/route/link.js';
import { neighbors, neighborRequest, neighborSelector } from '../../lib/route/neighbor.js';
import { nexthopRequest, nexthops, nexthopSelector } from '../../lib/route/nexthop.js';
import { routeRequest, routes, routeSelector } from '../../lib/route/route.js';
import { ruleRequest, rules, ruleSelector } from '../../lib/route/rule.js';
import type { DumpOptions } from '../../lib/rx/dump-options.js';
import type { DumpRequest } from '../../lib/rx/dump-request.js';
import { forEachDumpObject } from '../../lib/rx/for-each-dump-object.js';
import type { DumpSelector } from '../../lib/rx/select-batch.js';
import { watchAsyncErrors, type AsyncErrors } from '../rx/async-errors.js';
import { done, nlmsg, type Script } from '../helpers/fake-kernel.js';
import { ending, fakePool, record, values } from '../rx/fake-dump.js';

interface Family {
  /** The reply's nlmsg_type. */
  type: number;
  /** sizeof the family's fixed header, from the uapi headers. */
  header: number;
  dump(options: DumpOptions): Observable<unknown>;
  request: DumpRequest;
  select: DumpSelector<unknown>;
}

const FAMILIES: Record<string, Family> = {
  // struct ifinfomsg: family, pad, type u16, index s32, flags u32, change u32.
  links: { type: RTM_NEWLINK, header: 16, dump: (o) => links({}, o), request: linkRequest({}), select: linkSelector({}) },
  // struct ifaddrmsg: family, prefixlen, flags, scope, index u32.
  addresses: { type: RTM_NEWADDR, header: 8, dump: (o) => addresses({}, o), request: addressRequest({}), select: addressSelector({}) },
  // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags u32.
  routes: { type: RTM_NEWROUTE, header: 12, dump: (o) => routes({}, o), request: routeRequest({}), select: routeSelector({}) },
  // struct ndmsg: family, pad1, pad2 u16, ifindex s32, state u16, flags, type.
  neighbors: { type: RTM_NEWNEIGH, header: 12, dump: (o) => neighbors({}, o), request: neighborRequest({}), select: neighborSelector({}) },
  // struct fib_rule_hdr: family, dst_len, src_len, tos, table, res1, res2, action, flags u32.
  rules: { type: RTM_NEWRULE, header: 12, dump: (o) => rules({}, o), request: ruleRequest({}), select: ruleSelector({}) },
  // struct nhmsg: family, scope, protocol, resvd, flags u32.
  nexthops: { type: RTM_NEWNEXTHOP, header: 8, dump: (o) => nexthops({}, o), request: nexthopRequest({}), select: nexthopSelector({}) },
};

/**
 * One read: a whole message (a zeroed fixed header), one cut 4 bytes short of
 * its fixed header, another whole one; DONE in a second read, which must
 * never happen.
 */
function shortHeaderDump(family: Family): Script {
  return (req, k) => {
    const reply = (size: number) => nlmsg({ type: family.type, flags: NLM_F_MULTI, seq: req.seq, pid: k.portId, payload: Buffer.alloc(size) });
    return [
      [Buffer.concat([reply(family.header), reply(family.header - 4), reply(family.header)])],
      [done(req.seq, k.portId)],
    ];
  };
}

let asyncErrors: AsyncErrors;
beforeEach(() => { asyncErrors = watchAsyncErrors(); });
afterEach(async () => { expect(await asyncErrors.stop()).toEqual([]); });

describe.each(Object.entries(FAMILIES))('%s(): a reply shorter than its fixed header', (name, family) => {
  it('fails the Observable with a NetlinkDecodeError (EPROTO) after the object before it, nothing later, socket closed', async () => {
    const { pool, kernels } = fakePool(shortHeaderDump(family));
    const events = await record(family.dump({ pool }));
    expect(values(events)).toHaveLength(1);
    expect(ending(events)).toBeInstanceOf(NetlinkDecodeError);
    expect(ending(events)).toMatchObject({ code: 'EPROTO' });
    expect(events).toHaveLength(2); // one object, one error: never a completion as well
    expect(kernels[0].reads).toBe(1);
    expect(kernels[0].closed).toBe(true);
  });

  it('rejects forEachDumpObject (the CLI’s path) the same way', async () => {
    const { pool, kernels } = fakePool(shortHeaderDump(family));
    const objects: unknown[] = [];
    const result = forEachDumpObject(family.request, family.select, (o) => { objects.push(o); }, { pool });
    await expect(result).rejects.toBeInstanceOf(NetlinkDecodeError);
    await expect(result).rejects.toMatchObject({ code: 'EPROTO' });
    expect(objects).toHaveLength(1);
    expect(kernels[0].reads).toBe(1);
    expect(kernels[0].closed).toBe(true);
  });

  it(`still delivers every whole ${name} object of a dump and completes`, async () => {
    const whole: Script = (req, k) => [[Buffer.concat([
      nlmsg({ type: family.type, flags: NLM_F_MULTI, seq: req.seq, pid: k.portId, payload: Buffer.alloc(family.header) }),
      nlmsg({ type: family.type, flags: NLM_F_MULTI, seq: req.seq, pid: k.portId, payload: Buffer.alloc(family.header) }),
      done(req.seq, k.portId),
    ])]];
    const { pool } = fakePool(whole);
    const events = await record(family.dump({ pool }));
    expect(values(events)).toHaveLength(2);
    expect(ending(events)).toBe('complete');
  });
});
