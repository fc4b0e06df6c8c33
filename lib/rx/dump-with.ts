import { defer, Observable } from 'rxjs';
import type { MessageBatch } from '../codec/message.js';
import type { Transport } from '../transport/transport.js';
import { DumpReader } from './dump-reader.js';
import { encodeDumpRequest, nextSequence, type DumpRequest } from './dump-request.js';
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
    const seq = options.seq ?? nextSequence();
    transport.send(encodeDumpRequest(request, seq));
    const reads = readBatches(transport, options.pace);
    const reader = new DumpReader(seq, transport.portId, request.type);
    return new Observable<MessageBatch>((subscriber) => {
      // Completing or failing unsubscribes from `reads` at once: no read starts after the end.
      subscriber.add(reads.subscribe({
        next(batch) {
          const step = reader.read(batch);
          if (step.messages.length > 0) subscriber.next(step.messages);
          if (step.error) subscriber.error(step.error);
          else if (step.done) subscriber.complete();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }));
    });
  });
}
