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
import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ethtoolFamily, genl, netdevFamily } from '../dist/index.js';
import { ETHTOOL_FLAG_COMPACT_BITSETS } from '../dist/constants.js';
import { batch, createNamespace, removeAll, removeOnExit } from './fixtures.js';

const PAIRS = Number(process.argv[2] ?? 250);
removeOnExit();

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// IPv6 off in the namespace (createNamespace): hundreds of links need no link-local addresses or DAD.
const NS = createNamespace('genl-live');
await batch(NS, Array.from({ length: PAIRS }, (_, i) => `link add a${i} type veth peer name b${i}`));

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
removeAll();
