/**
 * Failures the fuzzer found, each with its bytes, kept as specs that fail if
 * the bug comes back.
 */
import { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NLM_F_MULTI } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { addresses, links, neighbors } from '../../lib/index.js';
import type { DumpOptions } from '../../lib/rx/dump-options.js';
import { closeSocketPools } from '../../lib/rx/socket-pools.js';
import { done, fakeKernels, nlmsg } from '../helpers/fake-kernel.js';

// From <linux/rtnetlink.h>.
const RTM_NEWLINK = 16;
const RTM_NEWADDR = 20;
const RTM_NEWNEIGH = 28;

let asynchronous: unknown[] = [];
const record = (error: unknown) => asynchronous.push(error);
beforeEach(() => {
  asynchronous = [];
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
});
afterEach(() => {
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
  closeSocketPools();
});

/** How a dump ended, after the timers RxJS reports unhandled errors on have run. */
async function ending(source: Observable<unknown>): Promise<unknown> {
  const how = await new Promise((resolve) => source.subscribe({ error: resolve, complete: () => resolve('complete') }));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return how;
}

describe('fuzz regressions: a message shorter than its family header (reported: lib/route/{link,address,neighbour}.ts)', () => {
  // Fuzz seed 0x5eed, case 406 (links) and the like: a data message of 17 bytes,
  // nlmsghdr plus one payload byte, where struct ifinfomsg (16), ifaddrmsg (8)
  // or ndmsg (12) should be. Expected: the dump fails with a NetlinkDecodeError
  // as its error; found: the selector throws inside dumpBatches' next(), RxJS
  // reports it asynchronously (uncaughtException) and the dump completes.
  const cases: Array<[string, number, (options: DumpOptions) => Observable<unknown>]> = [
    ['links', RTM_NEWLINK, (o) => links({}, o)],
    ['addresses', RTM_NEWADDR, (o) => addresses({}, o)],
    ['neighbours', RTM_NEWNEIGH, (o) => neighbors({}, o)],
  ];
  for (const [family, type, open] of cases) {
    it(`${family}(): fails the dump with a NetlinkDecodeError, nothing thrown asynchronously`, async () => {
      const { factory } = fakeKernels((req, k) => [[
        nlmsg({ type, flags: NLM_F_MULTI, seq: req.seq, pid: k.portId, payload: Uint8Array.of(0) }),
        done(req.seq, k.portId),
      ]]);
      const how = await ending(open({ transport: factory }));
      expect(asynchronous).toEqual([]);
      expect(how).toBeInstanceOf(NetlinkDecodeError);
    });
  }
});
