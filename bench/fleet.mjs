#!/usr/bin/env node
/**
 * `node bench/fleet.mjs` (as root, after `npm run build:ts`; needs Debian's
 * nats-server): the fleet's figures through one local `nats-server -js`
 * (127.0.0.1, a free port, a temporary store — all removed at the end, also
 * on failure and on SIGINT).
 *
 * One real host — a namespace with ROUTES routes and an `nlrx publish` child
 * process — and HOSTS-1 simulated hosts, whose ROUTES routes each are real
 * route objects of that namespace re-addressed and written to the bucket as
 * a publisher writes them (same keys, same values, acknowledged puts).
 *
 *   1. load: time for the simulated hosts to write their rows, and for the
 *      real publisher to sync its table (a cold bucket);
 *   2. consistent view: a consumer (fleetSource, as `nlrx serve --nats`)
 *      started on the full bucket — time until it is synced and holds every
 *      host's rows; its memory;
 *   3. write amplification: kernel changes on the real host (1k adds then 1k
 *      deletes one batch each; a 10k-route storm added, then removed; 10k
 *      routes added and removed in one batch; a link down/up that flushes
 *      routes; the routes re-added) against the messages the publisher wrote
 *      (the stream's sequence, heartbeats excluded) — and the time until the
 *      consumer shows the result;
 *   4. the publisher at rest: CPU (from /proc, over 10 s, heartbeats only)
 *      and resident memory with its ROUTES-route table.
 *
 *   HOSTS=50 ROUTES=10000 node bench/fleet.mjs
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { connect } from 'nats';
import { routes } from '../dist/index.js';
import { connectFleet, encodeFleetValue, fleetHeartbeatKey, fleetRowKey, fleetSource } from '../dist/fleet/index.js';
import { routeKey } from '../dist/live/identity.js';
import { firstValueFrom, toArray } from 'rxjs';

const HOSTS = Number(process.env.HOSTS ?? 50);
const ROUTES = Number(process.env.ROUTES ?? 10_000);
const NS = `nlrx-bench-fleet-${process.pid}`;
const BUCKET = 'nlrx-fleet';
const run = promisify(execFile);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const store = mkdtempSync(join(tmpdir(), 'nlrx-bench-nats-'));
const children = new Set();
let created = false;

function cleanup() {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  if (created) {
    created = false;
    try { execFileSync('ip', ['netns', 'delete', NS], { stdio: 'ignore' }); } catch { /* already gone */ }
  }
  rmSync(store, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => { cleanup(); process.exit(130); });
process.on('SIGTERM', () => { cleanup(); process.exit(143); });

const ip = (...args) => execFileSync('ip', ['-n', NS, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
async function batch(lines) {
  const dir = mkdtempSync(join(tmpdir(), 'nlrx-bench-fleet-'));
  try {
    writeFileSync(join(dir, 'batch'), `${lines.join('\n')}\n`);
    await run('ip', ['-n', NS, '-batch', join(dir, 'batch')], { maxBuffer: 1 << 28 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const addresses = (base, n) => Array.from({ length: n }, (_, i) => `10.${base + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function spawnTracked(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** utime+stime (s) and VmRSS (MiB) of a process, from /proc. */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  return { cpu: ticks / 100, rss };
}

async function until(check, what, timeoutMs = 600_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await sleep(20);
  }
}

const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

// ---- the server
const port = await freePort();
const nats = spawnTracked('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store]);
await new Promise((resolve, reject) => {
  let log = '';
  nats.stderr.on('data', (d) => { log += d; if (log.includes('Server is ready')) resolve(); });
  nats.once('exit', () => reject(new Error(`nats-server exited:\n${log}`)));
});
const url = `nats://127.0.0.1:${port}`;
const nc = await connect({ servers: url });
const jsm = await nc.jetstreamManager();
const writer = await connectFleet({ servers: url });
const lastSeq = async () => (await jsm.streams.info(`KV_${BUCKET}`)).state.last_seq;

// ---- the real host
execFileSync('ip', ['netns', 'add', NS]);
created = true;
ip('link', 'set', 'lo', 'up');
await batch(['link add v0 type veth peer name v1', 'address add 10.255.0.1/16 dev v0', 'link set v0 up', 'link set v1 up',
  ...addresses(0, ROUTES).map((a) => `route add ${a}/32 dev v0`)]);
const sample = await firstValueFrom(routes({}, { netns: NS }).pipe(toArray()));
const template = sample.filter((r) => r.dstLen === 32 && r.table === 254);
console.log(`load average ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')} on ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`);
console.log(`fleet bench: ${HOSTS} hosts × ${ROUTES} routes (1 real namespace, ${HOSTS - 1} simulated), nats-server ${execFileSync('nats-server', ['--version'], { encoding: 'utf8' }).trim()}`);

// ---- 1. load: the simulated hosts, then the real publisher
// The simulated hosts publish their rows to the bucket's subjects without
// waiting for each acknowledgement (a bulk load, to reach the state fast);
// the stream's message count says when JetStream has stored them all. The
// acknowledged write rate of a real publisher is measured right after.
let t0 = performance.now();
let bytes = 0;
const encoder = new TextEncoder();
const base = (await jsm.streams.info(`KV_${BUCKET}`)).state.messages;
for (let h = 1; h < HOSTS; h++) {
  const host = `sim-${String(h).padStart(3, '0')}`;
  await writer.bucket.put(fleetHeartbeatKey(host), encoder.encode(JSON.stringify({ host, time: Date.now(), intervalMs: 3_600_000, tables: ['routes'] })));
  for (const route of template) {
    const value = encoder.encode(encodeFleetValue(route));
    bytes += value.length;
    nc.publish(`$KV.${BUCKET}.${fleetRowKey(host, 'routes', routeKey(route))}`, value);
  }
  await nc.flush();
}
const simWrites = (HOSTS - 1) * template.length;
await until(async () => (await jsm.streams.info(`KV_${BUCKET}`)).state.messages >= base + simWrites + HOSTS - 1, 'bulk load stored');
const simMs = performance.now() - t0;
console.log(`load: ${simWrites} rows of ${HOSTS - 1} simulated hosts stored in ${fmt(simMs)} (${Math.round(simWrites / (simMs / 1000))} msgs/s bulk, ${Math.round(bytes / simWrites)} B a value)`);

t0 = performance.now();
const publisher = spawnTracked(process.execPath, ['dist/cli/main.js', '-n', NS, 'publish', '--nats', url, '--host', 'real-000',
  '--heartbeat', '5000', 'route']);
let out = '';
publisher.stdout.on('data', (d) => { out += d; });
publisher.stderr.on('data', (d) => { out += d; });
await until(() => /routes: \d+ rows in sync/.test(out), 'publisher sync');
const pubSyncMs = performance.now() - t0;
const synced = Number(/routes: (\d+) rows/.exec(out)[1]);
console.log(`load: the real publisher started and synced its ${synced} routes in ${fmt(pubSyncMs)} ` +
  `(${Math.round(synced / (pubSyncMs / 1000))} acknowledged puts/s, process start included; ${out.trim()})`);

// ---- 2. a consumer's consistent view of the whole fleet
// First the NATS client alone: a KV watch of every host's routes, to its initial values' end.
{
  const kv = await nc.jetstream({ timeout: 60_000 }).views.kv(BUCKET);
  let n = 0;
  let done = false;
  const start = performance.now();
  const iterator = await kv.watch({ key: '*.routes.*', initializedFn: () => { done = true; } });
  const created = performance.now() - start;
  (async () => { for await (const e of iterator) { n++; if (done) break; } })();
  await until(() => done, 'raw watch');
  iterator.stop();
  console.log(`view: a bare KV watch (nats client) of *.routes.* got its ${n} current values after ${fmt(performance.now() - start)} ` +
    `(${fmt(created)} of it for the server to create the filtered consumer)`);
}
const consumer = await connectFleet({ servers: url });
const rows = new Map();
let viewSynced = false;
const heapBefore = process.memoryUsage().heapUsed;
t0 = performance.now();
const subscription = fleetSource(consumer, { goneAfterMs: 3_600_000 })({ kind: 'routes' }).subscribe((e) => {
  if (e.type === 'add' || e.type === 'change') rows.set(e.key, e.value);
  else if (e.type === 'remove') rows.delete(e.key);
  else if (e.type === 'synced') viewSynced = true;
});
const realRoutes = () => Number(/routes: (\d+) rows/.exec(out)[1]);
const expected = () => simWrites + realRoutes();
await until(() => viewSynced && rows.size >= expected(), 'consumer view');
const viewMs = performance.now() - t0;
const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
console.log(`view: a consumer (fleetSource) started on the full bucket holds all ${rows.size} rows of ${HOSTS} hosts after ${fmt(viewMs)} (heap +${Math.round(heapMiB)} MiB)`);

// ---- 3. write amplification and propagation
const realRows = () => { let n = 0; for (const r of rows.values()) if (r.host === 'real-000') n++; return n; };
async function measure(label, lines, kernelChanges) {
  const before = await lastSeq();
  const start = performance.now();
  await batch(lines);
  // The kernel's count is read again while waiting: a link coming up adds its IPv6 routes a moment later.
  let target = -1;
  let read = 0;
  await until(() => {
    if (performance.now() - read > 250) {
      target = JSON.parse(ip('-j', 'route', 'show', 'table', 'all')).length;
      read = performance.now();
    }
    return realRows() === target;
  }, `${label}: consumer view`);
  const ms = performance.now() - start;
  await sleep(1500); // late writes, if any, are counted too
  const written = (await lastSeq()) - before;
  // Heartbeats (every 5 s) are not row writes.
  const beats = Math.floor((performance.now() - start) / 5000) + 1;
  console.log(`change: ${label}: ${kernelChanges} kernel changes → ${written} messages (≤ ${beats} of them heartbeats): ` +
    `${(Math.max(0, written - beats) / kernelChanges).toFixed(2)} per change; consumer consistent after ${fmt(ms)}`);
}
const extra = addresses(64, 1000);
await measure('1k routes added', extra.map((a) => `route add ${a}/32 dev v0`), 1000);
await measure('1k routes deleted', extra.map((a) => `route del ${a}/32 dev v0`), 1000);
const storm = addresses(128, 10_000);
await measure('10k-route storm added', storm.map((a) => `route add ${a}/32 dev v0`), 10_000);
await measure('10k-route storm deleted', storm.map((a) => `route del ${a}/32 dev v0`), 10_000);
const churned = addresses(192, 10_000);
await measure('10k routes added and deleted in one batch (a storm that ends where it began)',
  [...churned.map((a) => `route add ${a}/32 dev v0`), ...churned.map((a) => `route del ${a}/32 dev v0`)], 20_000);
await measure(`link down (flushes its ${ROUTES} routes) and up`, ['link set v0 down', 'link set v0 up'], ROUTES + 2);
await measure(`${ROUTES} routes re-added`, addresses(0, ROUTES).map((a) => `route add ${a}/32 dev v0`), ROUTES);

// ---- 4. the publisher at rest
await sleep(2000);
const a = usage(publisher.pid);
await sleep(10_000);
const b = usage(publisher.pid);
console.log(`rest: the publisher with ${realRoutes()} routes: CPU ${((b.cpu - a.cpu) / 10 * 100).toFixed(2)} % of a core over 10 s, RSS ${Math.round(b.rss)} MiB`);
console.log(`nats-server: RSS ${Math.round(usage(nats.pid).rss)} MiB, store ${execFileSync('du', ['-sm', store], { encoding: 'utf8' }).split('\t')[0]} MiB for ${(await jsm.streams.info(`KV_${BUCKET}`)).state.messages} messages`);

subscription.unsubscribe();
publisher.kill('SIGTERM');
await consumer.close();
await writer.close();
await nc.close();
cleanup();
