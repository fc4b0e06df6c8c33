import { defer, type Observable } from 'rxjs';
import type { MessageBatch } from '../codec/message.js';
import type { Batch, Transport } from '../transport/transport.js';
import { DumpReader } from './dump-reader.js';
import type { DumpRequest } from './dump-request.js';
import { applySteps } from './operators/apply-steps.js';
import { readBatches, type ReadPace } from './read-batches.js';

/**
 * DumpWithOptions tune `dumpWith`.
 *
 * @example
 * dumpWith(socket, request, { seq: 7 });
 */
export interface DumpWithOptions {
  /** The request's `nlmsg_seq`. Default: `nextSequence()`, fresh per subscription. */
  seq?: number;
  /** When each read may start (see `ReadPace`). Default: right after the previous batch was handed on. */
  pace?: ReadPace;
}

/**
 * Runs one dump on a socket you hold.
 *
 * <span class="informal">The dump engine without the pool: send, then read → split → filter → errors → interrupt → done.</span>
 *
 * On subscription, sends `request` (with `NLM_F_REQUEST | NLM_F_DUMP |
 * NLM_F_ACK` and its own `nlmsg_seq`) and reads the transport one batch at a
 * time through the logic of `splitBatch`, `filterSequence`,
 * `throwKernelErrors`, `detectInterrupt` and `takeUntilDone` — fused into one
 * pass per read (`DumpReader`), so each message is looked at once. Emits one `MessageBatch` per read
 * with the dump's data messages. The caller owns the socket: after completion
 * or a kernel error (`NetlinkKernelError`, `DumpInterruptedError`) it is free
 * for the next request; after any other error or an early unsubscribe, replies
 * may still be queued on it, so close it. Use `dumpBatches` to have a pool do
 * this.
 *
 * ## Example
 *
 * ```ts
 * import { dumpWith, NetlinkSocket } from 'netlink-rx';
 *
 * const socket = new NetlinkSocket(NETLINK_ROUTE);
 * dumpWith(socket, request).subscribe({ next: (batch) => console.log(batch.length), complete: () => socket.close() });
 * ```
 *
 * @see {@link dumpBatches}
 * @param transport The socket to run the dump on; no other read may be pending on it.
 * @param request The dump request.
 * @param options Sequence number and read pacing.
 * @return A cold Observable of the dump's messages, one array per read.
 */
export function dumpWith(transport: Transport, request: DumpRequest, options: DumpWithOptions = {}): Observable<MessageBatch> {
  return defer(() => {
    const reader = DumpReader.start(transport, request, options.seq);
    // The step that ends the dump unsubscribes from the reads at once: no read starts after the end.
    return readBatches(transport, options.pace).pipe(applySteps(() => (batch: Batch) => reader.read(batch)));
  });
}
