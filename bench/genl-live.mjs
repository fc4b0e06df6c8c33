#!/usr/bin/env node
/**
 * `node bench/genl-live.mjs [pairs]` (as root, after `npm run build:ts`): what
 * a live generic netlink table costs, in a namespace of its own with `pairs`
 * veth pairs (default 250, so 501 devices with lo), deleted at the end (also
 * on failure and on SIGINT).
 *
 *   1. sync: from subscribe to `synced` of `genl().watch(ethtoolFamily, kind)`
 *      for features and channels, and of netdev's devices — median of 5;
 *   2. re-read: one compact dump of the features table (what each poll of an
 *      ethtool table costs), median of 5, beside `ethtool -k` per device;
 *   3. idle CPU: process.cpuUsage() over 10 s while the features table is
 *      watched with its default 5 s re-read and nothing changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ethtoolFamily, genl, netdevFamily } from '../dist/index.js';
import { ETHTOOL_FLAG_COMPACT_BITSETS } from '../dist/constants.js';

const PAIRS = Number(process.argv[2] ?? 250);
const NS = `nlrx-bench-genl-live-${process.pid}`;
let created = false;

function cleanup() {
  if (!created) return;
  created = false;
  try { execFileSync('ip', ['netns', 'delete', NS], { stdio: 'ignore' }); } catch { /* already gone */ }
}
process.on('exit', cleanup);
process.on('SIGINT', () => { cleanup(); process.exit(130); });
process.on('SIGTERM', () => { cleanup(); process.exit(143); });

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

execFileSync('ip', ['netns', 'add', NS]);
created = true;
const dir = mkdtempSync(join(tmpdir(), 'nlrx-bench-genl-'));
try {
  writeFileSync(join(dir, 'batch'), Array.from({ length: PAIRS }, (_, i) => `link add a${i} type veth peer name b${i}`).join('\n') + '\n');
  execFileSync('ip', ['-n', NS, '-batch', join(dir, 'batch')]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const client = genl({ netns: NS });
await client.family('ethtool');

async function syncTime(family, table) {
  const times = [];
  let size = 0;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const events = client.watch(family, table, {}, { poll: false });
    const synced = await firstValueFrom(events.pipe(filter((e) => e.type === 'synced')));
    times.push(performance.now() - start);
    size = synced.size;
  }
  return { ms: median(times), rows: size };
}

const results = {};
for (const [family, table] of [[ethtoolFamily, 'features'], [ethtoolFamily, 'channels'], [netdevFamily, 'devices']]) {
  results[`sync ${family.name}/${table}`] = await syncTime(family, table);
}

const dumps = [];
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  await lastValueFrom(client.use(ethtoolFamily).features({ flags: ETHTOOL_FLAG_COMPACT_BITSETS }).pipe(toArray()));
  dumps.push(performance.now() - start);
}
results['re-read ethtool/features (one compact dump)'] = { ms: median(dumps) };

const start = performance.now();
for (let i = 0; i < 20; i++) execFileSync('ip', ['netns', 'exec', NS, 'ethtool', '-k', `a${i}`], { stdio: 'ignore' });
results['ethtool -k, per device (20 devices, spawn included)'] = { ms: (performance.now() - start) / 20 };

const subscription = client.watch(ethtoolFamily, 'features').subscribe();
await sleep(1000);
const cpu = process.cpuUsage();
await sleep(10_000);
const used = process.cpuUsage(cpu);
results['idle CPU, features watched (5 s re-read), 10 s'] = { ms: (used.user + used.system) / 1000 };
subscription.unsubscribe();
client.close();

console.log(`${PAIRS} veth pairs (${2 * PAIRS + 1} devices)`);
for (const [name, { ms, rows }] of Object.entries(results)) {
  console.log(`${name.padEnd(54)} ${ms.toFixed(1).padStart(8)} ms${rows === undefined ? '' : `  (${rows} rows)`}`);
}
cleanup();
