/**
 * StormMeter counts notifications per time window, to tell a storm (more
 * than applying one by one is worth) from ordinary traffic.
 */

/**
 * StormOptions tune storm handling. A storm starts when `enter` notifications
 * arrive within one `window`; during it notifications are only counted and
 * the table is re-read and compared at most every `maxStale` ms; it ends, with
 * a final re-read, after a window with fewer than `exit` notifications.
 *
 * @example
 * watch('routes', {}, { storm: { enter: 5000 } });
 */
export interface StormOptions {
  /** Window length in ms. Default 100. */
  window?: number;
  /** Notifications per window that start a storm. Default: the larger of 5000 and a tenth of the table's rows. */
  enter?: number;
  /** Notifications per window below which a storm ends. Default: a quarter of `enter`. */
  exit?: number;
  /** Longest time in ms subscribers wait for a re-read during a storm. Default 1000. */
  maxStale?: number;
}

/**
 * StormMeter is a fixed-window counter read lazily: no timer runs while
 * traffic is ordinary (an idle table costs nothing).
 *
 * @example
 * const meter = new StormMeter(100);
 * if (meter.add(batch.length, performance.now()) >= 2000) enterStorm();
 */
export class StormMeter {
  #start = 0;
  #count = 0;

  constructor(readonly window: number) {}

  /** Adds `n` notifications seen at `now` (ms); returns the count of the current window. */
  add(n: number, now: number): number {
    if (now - this.#start >= this.window) {
      this.#start = now;
      this.#count = 0;
    }
    this.#count += n;
    return this.#count;
  }

  /** Returns the count since the last take (or window start) and starts a new window at `now`. */
  take(now: number): number {
    const count = this.#count;
    this.#start = now;
    this.#count = 0;
    return count;
  }
}
