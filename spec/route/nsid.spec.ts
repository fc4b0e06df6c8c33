import { closeSync, openSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { decodeNsid, nsidMessage, nsidQuery, RTM_GETNSID, RTM_NEWNSID, NETNSA_FD, NETNSA_NSID } from '../../lib/route/nsid-decode.js';
import { nsids } from '../../lib/route/nsid.js';
import { nsidsOf } from '../../lib/route/nsids-of.js';
import { done, fakeKernels, nlmsg, tlv } from '../helpers/fake-kernel.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

describe('RTM_NEWNSID, described', () => {
  it('decodes struct rtgenmsg and NETNSA_NSID (attributes at NLMSG_ALIGN(1) = 4)', () => {
    const id = Buffer.alloc(4);
    id.writeInt32LE(7);
    const bytes = nlmsg({ type: RTM_NEWNSID, seq: 1, pid: 0, payload: Buffer.concat([Buffer.alloc(4), tlv(NETNSA_NSID, id)]) });
    expect(decodeNsid({ data: bytes, offset: 0, length: bytes.length, type: RTM_NEWNSID, flags: 0, seq: 1, pid: 0 }))
      .toMatchObject({ family: 0, nsid: 7 });
  });

  it('encodes the per-namespace query: rtgenmsg, then NETNSA_FD', () => {
    const query = Buffer.from(nsidQuery(9));
    expect(query.length).toBe(12);
    expect(query.readUInt16LE(4 + 2)).toBe(NETNSA_FD);
    expect(query.readInt32LE(8)).toBe(9);
    expect(nsidMessage.decodePayload(query)).toMatchObject({ fd: 9 });
  });

  it('a reply without its struct rtgenmsg fails the nsids() dump with a NetlinkDecodeError, as its error', async () => {
    const { factory } = fakeKernels((req, kernel) => [[
      nlmsg({ type: RTM_NEWNSID, seq: req.seq, pid: kernel.portId, flags: 2 }), done(req.seq, kernel.portId),
    ]]);
    const error = await lastValueFrom(nsids({ transport: factory })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkDecodeError);
  });

  it('dumps with RTM_GETNSID', async () => {
    const { factory, kernels } = fakeKernels((req, kernel) => [[done(req.seq, kernel.portId)]]);
    expect(await lastValueFrom(nsids({ transport: factory }).pipe(toArray()))).toEqual([]);
    expect(kernels[0].sent[0].type).toBe(RTM_GETNSID);
  });
});

describe.skipIf(!isRoot)('nsids() and nsidsOf() against the kernel', () => {
  let blue: Netns;
  let red: Netns;

  beforeAll(() => {
    blue = createNetns('nsid');
    red = createNetns('nsid');
    blue.ip('netns', 'set', red.name, '7');
  });
  afterAll(() => {
    blue?.remove();
    red?.remove();
  });

  it('nsids() lists the ids the namespace gave, as ip netns list-id does', async () => {
    const ids = await lastValueFrom(nsids({ netns: blue.name }).pipe(toArray()));
    const oracle = blue.ipJson<{ nsid: number }[]>('netns', 'list-id').map((e) => e.nsid);
    expect(oracle).toContain(7);
    expect(ids.map((id) => id.nsid).sort()).toEqual(oracle.sort());
  });

  it('nsidsOf() names the id of each namespace file, -1 for what is not a namespace', async () => {
    const fd = openSync(`/run/netns/${red.name}`, 'r');
    const notNs = openSync('/dev/null', 'r');
    try {
      const ids = await nsidsOf([fd, notNs], blue.name);
      expect(ids.get(fd)).toBe(7);
      expect(ids.get(notNs)).toBe(-1);
    } finally {
      closeSync(fd);
      closeSync(notNs);
    }
  });
});
