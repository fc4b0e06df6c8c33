/**
 * A set of (u32, u32) pairs in typed arrays: what a streamed conntrack dump
 * remembers of every entry it delivered (its id and a tuple hash) to drop
 * the repeats of a resumed dump — about 20 bytes an entry at most, where a
 * Map of numbers takes several times that for the 262,144 entries of a
 * full table.
 */

/**
 * Uint32PairSet: open addressing with linear probing over three typed
 * arrays, doubled when half full.
 *
 * @example
 * const seen = new Uint32PairSet();
 * seen.add(7, 1234); // true: new
 * seen.add(7, 1234); // false: seen before
 */
export class Uint32PairSet {
  #firsts = new Uint32Array(1024);
  #seconds = new Uint32Array(1024);
  #used = new Uint8Array(1024);
  #size = 0;

  /** The pairs held. */
  get size(): number {
    return this.#size;
  }

  /** Adds (a, b); false when the pair was there already. */
  add(a: number, b: number): boolean {
    if (this.#size * 2 >= this.#used.length) this.#grow();
    const mask = this.#used.length - 1;
    for (let i = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) >>> 0 & mask; ; i = (i + 1) & mask) {
      if (this.#used[i] === 0) {
        this.#used[i] = 1;
        this.#firsts[i] = a;
        this.#seconds[i] = b;
        this.#size++;
        return true;
      }
      if (this.#firsts[i] === a >>> 0 && this.#seconds[i] === b >>> 0) return false;
    }
  }

  #grow(): void {
    const firsts = this.#firsts;
    const seconds = this.#seconds;
    const used = this.#used;
    this.#firsts = new Uint32Array(used.length * 2);
    this.#seconds = new Uint32Array(used.length * 2);
    this.#used = new Uint8Array(used.length * 2);
    this.#size = 0;
    for (let i = 0; i < used.length; i++) if (used[i] !== 0) this.add(firsts[i], seconds[i]);
  }
}
