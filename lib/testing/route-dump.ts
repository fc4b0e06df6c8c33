import type { Script } from './fake-kernel.js';
import { done, routes } from './messages.js';

/**
 * routeDump is a dump script: `total` routes, `perDatagram` in each datagram,
 * `perBatch` datagrams in each read, then NLMSG_DONE.
 *
 * @example
 * const { factory } = fakeKernels(routeDump(100));
 */
export function routeDump(total: number, perDatagram = 10, perBatch = 2): Script {
  return (req, kernel) => {
    const datagrams: Buffer[] = [];
    for (let first = 0; first < total; first += perDatagram) {
      datagrams.push(Buffer.concat(routes(req.seq, kernel.portId, first, Math.min(perDatagram, total - first))));
    }
    datagrams.push(done(req.seq, kernel.portId));
    const batches: Uint8Array[][] = [];
    for (let i = 0; i < datagrams.length; i += perBatch) batches.push(datagrams.slice(i, i + perBatch));
    return batches;
  };
}
