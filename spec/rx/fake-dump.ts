/** Shared bits of the fake-kernel dump specs. */
import type { Observable } from 'rxjs';
import type { NetlinkMessage } from '../../lib/codec/header.js';
import type { DumpRequest } from '../../lib/rx/dump-request.js';
import { SocketPool } from '../../lib/rx/socket-pool.js';
import { fakeKernels, type Script } from '../helpers/fake-kernel.js';

/** RTM_GETROUTE for AF_INET: struct rtmsg with rtm_family 2. */
export const routeRequest: DumpRequest = {
  protocol: 0,
  type: 26,
  payload: Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
};

/** A pool over a fake kernel following `script`. */
export function fakePool(script: Script, size = 4, idleTimeout = 60_000) {
  const { factory, kernels } = fakeKernels(script);
  const pool = new SocketPool(0, {}, { transport: factory, size, idleTimeout });
  return { pool, kernels, factory };
}

export type Event<T> = { next: T } | { error: unknown } | 'complete';

/** Subscribes and resolves with every notification, in order, once the stream ends. */
export function record<T>(source: Observable<T>): Promise<Event<T>[]> {
  return new Promise((resolve) => {
    const events: Event<T>[] = [];
    source.subscribe({
      next: (value) => events.push({ next: value }),
      error: (error) => { events.push({ error }); resolve(events); },
      complete: () => { events.push('complete'); resolve(events); },
    });
  });
}

/** The data values of a recording. */
export function values<T>(events: Event<T>[]): T[] {
  return events.flatMap((e) => (typeof e === 'object' && 'next' in e ? [e.next] : []));
}

/** The end of a recording: 'complete' or the error. */
export function ending<T>(events: Event<T>[]): unknown {
  const last = events[events.length - 1];
  return last === 'complete' ? last : (last as { error: unknown }).error;
}

export type { NetlinkMessage };
