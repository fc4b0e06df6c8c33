import type { MessageBatch } from '../codec/message.js';
import type { DumpOptions } from './dump-options.js';
import { DumpReader } from './dump-reader.js';
import type { DumpRequest } from './dump-request.js';
import { settleLease, type DumpEnd } from './settle-lease.js';
import type { SocketLease } from './socket-pool.js';
import { dumpPool } from './socket-pools.js';

/**
 * ForEachDumpOptions are `DumpOptions` without sharing and pacing, plus a
 * signal that cancels the dump.
 *
 * @example
 * await forEachDumpBatch(request, handle, { netns: 'blue', signal: AbortSignal.timeout(1000) });
 */
export interface ForEachDumpOptions extends Omit<DumpOptions, 'shared' | 'pace'> {
  /** Aborting cancels the dump: its socket is closed and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * forEachDumpBatch runs one dump and calls `onBatch` with each read's
 * messages, as `dumpBatches` emits them, and resolves when the dump is done.
 * It is the same contract without RxJS — for programs that start often and
 * must start fast, such as a CLI (RxJS's CommonJS bundle takes about 60 ms
 * to load on a small machine): the socket is leased from the same pools, the
 * request gets its own `nlmsg_seq`, the next read starts only after `onBatch`
 * returned (with `readAhead`, the socket's reader thread may already be
 * receiving it), stale replies are dropped, and the dump rejects with the
 * errors `dumpBatches` fails with — after every batch before the failure was
 * handed on. A throw from `onBatch` stops the dump and rejects with it; the
 * socket is then closed, as when `signal` aborts.
 *
 * @example
 * let routes = 0;
 * await forEachDumpBatch(routeRequest({ family: 'inet' }), (batch) => { routes += batch.length; }, { strictCheck: true });
 */
export async function forEachDumpBatch(
  request: DumpRequest,
  onBatch: (batch: MessageBatch) => void,
  options: ForEachDumpOptions = {},
): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  const lease: SocketLease = await dumpPool(request.protocol, options).acquire(signal);
  /** How the dump ended, for `settleLease`; until the kernel ends it, a throw or an abort cancels it. */
  let end: DumpEnd = 'cancelled';
  // Closing the socket settles a pending read with EBADF; the loop then rejects with the signal's reason.
  const abort = () => settleLease(lease, 'cancelled');
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const { transport } = lease;
    const reader = DumpReader.start(transport, request);
    for (;;) {
      const batch = await transport.read();
      signal?.throwIfAborted();
      const step = reader.read(batch);
      // Known before onBatch runs: once the kernel has ended the request, a throw there still frees the socket.
      if (step.error) end = { error: step.error };
      else if (step.done) end = 'done';
      if (step.messages.length > 0) onBatch(step.messages);
      if (step.error) throw step.error;
      if (step.done) return;
    }
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
    settleLease(lease, end);
  }
}
