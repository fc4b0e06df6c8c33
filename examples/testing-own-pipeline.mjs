// Testing your own pipeline without root: netlink-rx/testing's scripted kernel
// stands behind the transport seam, so the real dump engine (sequence numbers,
// multipart, errors) runs over replies your test writes.
//   node examples/testing-own-pipeline.mjs
import assert from 'node:assert/strict';
import { routes } from 'netlink-rx';
import { fakeKernels, nlmsgerr, routeDump } from 'netlink-rx/testing';
import { firstValueFrom, lastValueFrom, map, toArray } from 'rxjs';

// The code under test: the destinations of a dump, as text.
const destinations = (options) => routes({}, options).pipe(map((r) => `${r.dst}/${r.dstLen}`), toArray());

// 25 routes, 10 to a datagram, 2 datagrams to a read, then NLMSG_DONE.
const { factory, kernels } = fakeKernels(routeDump(25));
const dsts = await lastValueFrom(destinations({ transport: factory }));
assert.equal(dsts.length, 25);
assert.equal(dsts[7], '0.0.0.7/32');
assert.equal(kernels[0].sent.length, 1); // one RTM_GETROUTE request

// A kernel that refuses: the pipeline fails with the kernel's errno and its text.
const refusing = fakeKernels((req, kernel) => [[nlmsgerr(req.seq, kernel.portId, 1, req.bytes, { message: 'not yours' })]]);
const error = await firstValueFrom(destinations({ transport: refusing.factory })).catch((e) => e);
assert.equal(error.code, 'EPERM');
assert.match(error.message, /not yours/);

console.log(`ok: ${dsts.length} routes, then ${error.code}`);
