/**
 * untilInterrupted: how the long-running `nlrx` commands (`monitor`,
 * `conntrack -E`) run — listen until SIGINT or SIGTERM, fail on the first
 * error — written once.
 */
import type { Observable, Subscription } from 'rxjs';

/**
 * untilInterrupted subscribes to `source`, hands each value to `next`, and
 * resolves when the process is asked to stop (SIGINT, SIGTERM); it rejects
 * with the source's error, or with what `alongside` (work started next to the
 * listener, given a `fail` callback) fails with. Either way it unsubscribes and
 * removes its signal handlers.
 *
 * @example
 * await untilInterrupted(monitor({ groups: [RTNLGRP_LINK] }), (signal) => console.log(signal.type));
 */
export function untilInterrupted<T>(source: Observable<T>, next: (value: T) => void,
  alongside?: (fail: (error: unknown) => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let subscription: Subscription | undefined;
    let ended = false;
    const end = (error?: unknown): void => {
      if (ended) return;
      ended = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      subscription?.unsubscribe();
      if (error === undefined) resolve();
      else reject(error);
    };
    const stop = (): void => end();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // A source that fails at once (a socket that cannot open) ends here, before subscribe() returns.
    subscription = source.subscribe({ next, error: (error: unknown) => end(error ?? new Error('source failed')) });
    if (ended) subscription.unsubscribe();
    alongside?.((error) => end(error));
  });
}
