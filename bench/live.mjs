#!/usr/bin/env node
/**
 * `node bench/live.mjs` (as root, after `npm run build:ts`): the live route
 * table's figures, in a namespace of its own that is deleted at the end (also
 * on failure and on SIGINT).
 *
 *   1. latency: from sending a route change to the kernel to its event out of
 *      watch() — median and p99 over 10k changes (5k adds, 5k deletes), one at
 *      a time, sent on a socket of our own so the send time is exact;
 *   2. convergence: a 100k-route burst (`ip -batch`, 100k adds), time from
 *      its start until the watched table holds every route — with storm
 *      handling (default) and with every notification applied one by one;
 *   3. idle CPU: process.cpuUsage() over 5 s with a 100k-route table watched
 *      and nothing changing.
 */
import { execFileSync, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { NetlinkSocket, watch } from '../dist/index.js';
import { MessageWriter } from '../dist/codec.js';
import { AF_INET, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, NETLINK_ROUTE, RTM_DELROUTE, RTM_NEWROUTE } from '../dist/constants.js';

const NS = `nlrx-bench-live-${process.pid}`;
const run = promisify(execFile);
let created = false;

function cleanup() {
  if (!created) return;
  created = false;
  try { execFileSync('ip', ['netns', 'delete', NS], { stdio: 'ignore' }); } catch { /* already gone */ }
}
process.on('exit', cleanup);
process.on('SIGINT', () => { cleanup(); process.exit(130); });
process.on('SIGTERM', () => { cleanup(); process.exit(143); });

const ip = (...args) => execFileSync('ip', ['-n', NS, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function batch(lines) {
  const dir = mkdtempSync(join(tmpdir(), 'nlrx-bench-live-'));
  try {
    writeFileSync(join(dir, 'batch'), `${lines.join('\n')}\n`);
    await run('ip', ['-n', NS, '-batch', join(dir, 'batch')], { maxBuffer: 1 << 28 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// RTM_NEWROUTE / RTM_DELROUTE for 10.200.x.y/32 dev v0 in main, as `ip route add|del` sends it.
const RTA_DST = 1;
const RTA_OIF = 4;
function routeMessage(type, i, ifindex, seq) {
  const w = new MessageWriter(64);
  w.begin({ type, flags: NLM_F_REQUEST | (type === RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0), seq });
  const rtm = w.struct(12);
  rtm[0] = AF_INET; rtm[1] = 32; rtm[4] = 254; rtm[5] = 4; // RT_TABLE_MAIN, RTPROT_STATIC
  rtm[6] = type === RTM_NEWROUTE ? 253 : 255; // RT_SCOPE_LINK to add, RT_SCOPE_NOWHERE (any) to delete
  rtm[7] = 1; // RTN_UNICAST
  w.attr(RTA_DST, Uint8Array.of(10, 200, (i >> 8) & 255, i & 255));
  w.u32(RTA_OIF, ifindex);
  return w.end();
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(ifindex, changes) {
  const waiting = new Map();
  const subscription = watch('routes', { table: 'main' }, { netns: NS }).subscribe((e) => {
    const route = e.type === 'add' ? e.value : e.type === 'remove' ? e.old : undefined;
    if (!route || route.dstLen !== 32) return;
    const resolve = waiting.get(`${e.type} ${route.dst}`);
    if (resolve) resolve(performance.now());
  });
  await new Promise((resolve) => { const s = watch('routes', { table: 'main' }, { netns: NS }).subscribe((e) => { if (e.type === 'synced') { resolve(); queueMicrotask(() => s.unsubscribe()); } }); });
  const sender = new NetlinkSocket(NETLINK_ROUTE, { netns: NS });
  const samples = [];
  for (let n = 0; n < changes; n++) {
    const i = n >> 1;
    const add = (n & 1) === 0;
    const key = `${add ? 'add' : 'remove'} 10.200.${(i >> 8) & 255}.${i & 255}`;
    const seen = new Promise((resolve) => waiting.set(key, resolve));
    const t0 = performance.now();
    sender.send(routeMessage(add ? RTM_NEWROUTE : RTM_DELROUTE, i, ifindex, n + 1));
    const t1 = await Promise.race([seen, sleep(2000).then(() => NaN)]);
    waiting.delete(key);
    samples.push(t1 - t0);
  }
  sender.close();
  subscription.unsubscribe();
  const lost = samples.filter(Number.isNaN).length;
  const sorted = samples.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return { changes, lost, median: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) };
}

async function convergence(options, base) {
  let rows = 0;
  let synced = false;
  const resyncs = [];
  const count = (route) => route.dstLen === 32 && route.dst?.startsWith('10.');
  const subscription = watch('routes', { table: 'main' }, { netns: NS, ...options }).subscribe((e) => {
    if (e.type === 'synced') synced = true;
    else if (e.type === 'resync') resyncs.push(e.reason);
    else if (e.type === 'add' && count(e.value)) rows++;
    else if (e.type === 'remove' && count(e.old)) rows--;
  });
  while (!synced) await sleep(10);
  const start = rows;
  const lines = [];
  for (let i = 0; i < 100_000; i++) lines.push(`route add 10.${base + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32 dev v0`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await batch(lines);
  const kernelDone = performance.now() - t0;
  while (rows < start + 100_000 && performance.now() - t0 < 120_000) await sleep(5);
  const converged = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  subscription.unsubscribe();
  return {
    converged: rows === start + 100_000, ms: converged, ipBatchMs: kernelDone,
    cpuMs: (cpu.user + cpu.system) / 1000, resyncs: [...new Set(resyncs)].join(',') || 'none',
  };
}

async function idle() {
  let synced = false;
  const subscription = watch('routes', {}, { netns: NS }).subscribe((e) => { if (e.type === 'synced') synced = true; });
  while (!synced) await sleep(10);
  await sleep(500);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(5000);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  subscription.unsubscribe();
  return { wallMs: wall, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('bench/live.mjs creates a network namespace: run it as root');
  execFileSync('ip', ['netns', 'add', NS]);
  created = true;
  ip('link', 'set', 'lo', 'up');
  ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip('link', 'set', 'v0', 'up');
  ip('link', 'set', 'v1', 'up');
  const ifindex = JSON.parse(ip('-j', 'link', 'show', 'v0'))[0].ifindex;

  const lat = await latency(ifindex, 10_000);
  console.log(`latency, kernel change → watch() event, ${lat.changes} changes (${lat.lost} lost): ` +
    `median ${lat.median.toFixed(3)} ms, p99 ${lat.p99.toFixed(3)} ms, max ${lat.max.toFixed(3)} ms`);

  for (const [name, options, base] of [['storm handling on (default)', {}, 100], ['every notification applied (storm: false)', { storm: false, rcvbuf: 256 << 20 }, 110]]) {
    const c = await convergence(options, base);
    console.log(`100k-route burst, ${name}: converged ${c.converged} in ${c.ms.toFixed(0)} ms ` +
      `(ip -batch itself took ${c.ipBatchMs.toFixed(0)} ms; our CPU ${c.cpuMs.toFixed(0)} ms; resyncs: ${c.resyncs})`);
  }

  const rows = JSON.parse(ip('-j', 'route', 'show', 'table', 'all')).length;
  const quiet = await idle();
  console.log(`idle, ${rows} IPv4 routes watched: ${quiet.cpuMs.toFixed(1)} ms CPU over ${(quiet.wallMs / 1000).toFixed(1)} s`);
}

main().then(() => { cleanup(); process.exit(0); }, (error) => { console.error(error instanceof Error ? error.message : error); cleanup(); process.exit(1); });
