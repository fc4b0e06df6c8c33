/**
 * The seeded fuzz run of `npm test` (see fuzz-harness.ts for what each case
 * checks). FUZZ_DATAGRAMS and FUZZ_SEED make it the long run
 * (`npm run fuzz -- --datagrams N --seed S`).
 */
import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz-harness.js';

const datagrams = Number(process.env.FUZZ_DATAGRAMS ?? 20_000);
const seed = Number(process.env.FUZZ_SEED ?? 0x5eed);
const long = process.env.FUZZ_DATAGRAMS !== undefined;

describe('fuzz: mutated and random replies through every entry point', () => {
  it(`feeds ${datagrams} datagrams (seed ${seed}): every stream ends once, with completion or a NetlinkError`, async () => {
    const stats = await runFuzz({
      datagrams,
      seed,
      // Bounded in npm test: at most 40 s of feeding, however loaded the machine is.
      maxMs: long ? undefined : 40_000,
      progress: long ? ({ failures, ...s }) => console.log(`… ${JSON.stringify({ ...s, failures: failures.length })}`) : undefined,
    });
    const { failures, ...counts } = stats;
    console.log(`fuzz seed ${seed}: ${JSON.stringify(counts)}`);
    for (const failure of failures.slice(0, 10)) console.log(JSON.stringify(failure));
    expect(failures).toEqual([]);
    // Nothing may break a promise (KNOWN_BUGS is empty: a bug found is fixed, with its regression spec).
    expect(counts).toMatchObject({ hangs: 0, readsAfterEnd: 0, asyncErrors: 0, otherErrors: 0, memoryBlowups: 0 });
    // Memory stays bounded over the run: no case's garbage accumulates (Node and vitest alone take ~150 MiB).
    expect(counts.peakRssMiB).toBeLessThan(1024);
    expect(counts.datagrams).toBeGreaterThanOrEqual(Math.min(datagrams, 2000));
    // The run reached both endings and the decoders.
    expect(counts.completions).toBeGreaterThan(0);
    expect(counts.netlinkErrors).toBeGreaterThan(0);
    expect(counts.decoderCalls).toBeGreaterThan(0);
  }, long ? 24 * 3600_000 : 90_000);
});
