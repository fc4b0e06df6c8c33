#!/usr/bin/env node
/**
 * The long fuzz run: the spec of `npm test` (spec/fuzz/fuzz.spec.ts) with
 * more datagrams and a seed of your choice, no time bound.
 *
 *   npm run fuzz -- --datagrams 10000000 --seed 7
 *
 * Prints progress every 10,000 cases and the figures at the end; exits
 * non-zero when any case broke a promise (the failures are printed with
 * their bytes, to become regression specs).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { datagrams: { type: 'string', default: '1000000' }, seed: { type: 'string', default: String(Date.now() % 2 ** 31) } },
});
for (const [name, value] of Object.entries(values)) {
  if (!/^\d+$/.test(value)) {
    console.error(`--${name} must be a whole number, not ${JSON.stringify(value)}`);
    process.exit(2);
  }
}
console.log(`fuzz: ${values.datagrams} datagrams, seed ${values.seed}`);
const run = spawnSync('npx', ['vitest', 'run', 'spec/fuzz/fuzz.spec.ts', '--reporter=verbose'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_DATAGRAMS: values.datagrams, FUZZ_SEED: values.seed },
});
process.exit(run.status ?? 1);
