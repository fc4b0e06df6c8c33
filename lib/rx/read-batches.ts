import { concatMap, defer, of, repeat, take, type Observable, type ObservableInput } from 'rxjs';
import type { Batch, Transport } from '../transport/transport.js';

/**
 * ReadPace decides when the next read may start: `readBatches` subscribes to
 * what it returns before every read and reads once it emits. Without one, the
 * next read starts as soon as the previous batch was handed on.
 *
 * @example
 * const pace: ReadPace = () => consumerWantsMore$; // pull: read only on demand
 */
export type ReadPace = () => ObservableInput<unknown>;

/**
 * Reads a transport batch by batch, one read at a time.
 *
 * <span class="informal">The refill of every dump: a concatMap-serialized loop of single reads.</span>
 *
 * Each round waits for `pace` (immediately, by default), then runs exactly one
 * `transport.read()` through `concatMap`, emits its batch, and only when that
 * emission has returned — the batch was handed on through the synchronous
 * pipeline below — starts the next round (DESIGN.md rule 2). The kernel
 * produces the next chunk of a dump inside recvmsg, so this is also the
 * pacing of the kernel. Unsubscribing stops the loop: no read is started
 * afterwards (a read already pending settles when its socket is closed). A
 * failed read fails the stream.
 *
 * ## Example
 *
 * ```ts
 * import { readBatches, splitBatch } from 'netlink-rx';
 *
 * socket.send(request);
 * readBatches(socket).pipe(splitBatch()).subscribe((messages) => console.log(messages.length));
 * ```
 *
 * @see {@link ReadPace}
 * @param transport The socket to read.
 * @param pace When each read may start (default: right after the previous batch was handed on).
 * @return An Observable of the transport's batches; it never completes by itself.
 */
export function readBatches(transport: Transport, pace: ReadPace = () => of(0)): Observable<Batch> {
  return defer(pace).pipe(
    take(1),
    concatMap(() => transport.read()),
    repeat(),
  );
}
