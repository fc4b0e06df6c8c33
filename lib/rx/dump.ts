import type { Observable } from 'rxjs';
import type { NetlinkMessage } from '../codec/header.js';
import { dumpBatches } from './dump-batches.js';
import type { DumpOptions } from './dump-options.js';
import type { DumpRequest } from './dump-request.js';
import { flattenBatches } from './operators/flatten-batches.js';

export type { DumpOptions } from './dump-options.js';
export type { DumpRequest } from './dump-request.js';

/**
 * Dumps a kernel table as a cold Observable of messages.
 *
 * <span class="informal">`dumpBatches` flattened: one emission per reply message.</span>
 *
 * Obeys the ten rules of the dump contract (see `dumpBatches`): nothing is
 * sent before subscription; each subscriber leases its own socket, sends its
 * own request with `NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK | request.flags`
 * and its own `nlmsg_seq`, and receives every reply message of its dump —
 * views into the read's buffer (`NetlinkMessage`) — then completion on
 * NLMSG_DONE. Kernel refusals fail it with `NetlinkKernelError`, fragments
 * with `NetlinkDecodeError` (`EPROTO`), interrupted dumps with
 * `DumpInterruptedError` (see `retryInterrupted`, `snapshot`). Unsubscribing
 * closes the socket at once.
 *
 * ## Example
 *
 * ```ts
 * import { dump, NETLINK_ROUTE, RTM_GETROUTE, AF_INET } from 'netlink-rx';
 *
 * const rtmsg = new Uint8Array(12);
 * rtmsg[0] = AF_INET;
 * dump({ protocol: NETLINK_ROUTE, type: RTM_GETROUTE, payload: rtmsg }, { netns: 'blue' })
 *   .subscribe((msg) => console.log(msg.type, msg.length));
 * ```
 *
 * @see {@link dumpBatches}
 * @see {@link iterateDump}
 * @param request The dump request.
 * @param options Namespace, socket options, pool, sharing.
 * @return A cold Observable of the dump's reply messages.
 */
export function dump(request: DumpRequest, options: DumpOptions = {}): Observable<NetlinkMessage> {
  return dumpBatches(request, options).pipe(flattenBatches());
}
