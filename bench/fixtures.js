/**
 * Fixture namespaces of the benchmark: every one is named `nlrx-bench-<pid>-…`,
 * is registered before it exists, and is deleted by `removeAll()` — which
 * run.js calls from `finally`, on SIGINT/SIGTERM and at exit. Nothing is ever
 * added to or removed from the machine's own namespace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './process.js';

const PREFIX = 'nlrx-bench-';
const live = new Set();
/** Batch files being written or read by ip: removed with the namespaces should a signal come first. */
const batchDirs = new Set();

/** ip(...args) runs iproute2 and returns its stdout; a failure throws with ip's stderr. */
function ip(...args) {
  return execFileSync('ip', args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Runs `ip -n ns -batch` over `lines`: one process for any number of objects
 * (~2.5 s per 100k routes), asynchronous so that SIGINT is handled meanwhile.
 */
export async function batch(ns, lines) {
  const dir = mkdtempSync(join(tmpdir(), 'nlrx-bench-'));
  batchDirs.add(dir);
  try {
    const file = join(dir, 'batch');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await runOk('ip', ['-n', ns, '-batch', file], { keep: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    batchDirs.delete(dir);
  }
}

function sysctl(ns, ...settings) {
  ip('netns', 'exec', ns, 'sysctl', '-q', '-w', ...settings);
}

/**
 * createNamespace makes an empty namespace with `lo` up and IPv6 off for every
 * device created later (no link-local addresses, no DAD, no IPv6 routes: the
 * kernel does no work the benchmark does not measure).
 */
export function createNamespace(tag) {
  const name = `${PREFIX}${process.pid}-${tag}`;
  live.add(name);
  ip('netns', 'add', name);
  sysctl(name, 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
  ip('-n', name, 'link', 'set', 'lo', 'up');
  return name;
}

/**
 * routeNamespace holds `count` IPv4 /32 routes (10.x.y.z, main table) through
 * one veth device — the routes of the figures.
 */
export async function routeNamespace(count) {
  const ns = createNamespace(`routes-${count}`);
  ip('-n', ns, 'link', 'add', 'r0', 'type', 'veth', 'peer', 'name', 'r1');
  ip('-n', ns, 'link', 'set', 'r0', 'up');
  ip('-n', ns, 'link', 'set', 'r1', 'up');
  const lines = [];
  for (let i = 0; i < count; i++) {
    lines.push(`route add 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 dev r0`);
  }
  await batch(ns, lines);
  return ns;
}

/**
 * objectNamespace holds `pairs` veth pairs (2 × pairs links, all down so the
 * kernel adds no routes for them), `addresses` IPv4 addresses spread over
 * them, and `neighbors` permanent IPv4 neighbours on the first one.
 */
export async function objectNamespace({ pairs, addresses, neighbors }) {
  const ns = createNamespace('objects');
  const links = [];
  for (let i = 0; i < pairs; i++) links.push(`link add b${i}a type veth peer name b${i}b`);
  await batch(ns, links);
  const addrs = [];
  for (let i = 0; i < addresses; i++) {
    // 172.16.0.0/12 as /30 host addresses: unique, never overlapping.
    const n = i * 4 + 1;
    addrs.push(`addr add 172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}/30 dev b${i % pairs}${i % (2 * pairs) < pairs ? 'a' : 'b'}`);
  }
  await batch(ns, addrs);
  const neighs = [];
  for (let i = 0; i < neighbors; i++) {
    const hex = (v) => v.toString(16).padStart(2, '0');
    neighs.push(`neigh add 100.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255} lladdr 02:00:00:${hex((i >> 16) & 255)}:${hex((i >> 8) & 255)}:${hex(i & 255)} dev b0a nud permanent`);
  }
  await batch(ns, neighs);
  return ns;
}

/** removeAll deletes every namespace this process created; safe to call more than once. */
export function removeAll() {
  for (const dir of batchDirs) rmSync(dir, { recursive: true, force: true });
  batchDirs.clear();
  for (const name of live) {
    spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
    live.delete(name);
  }
}

/**
 * removeStale deletes bench namespaces left by a benchmark process that no
 * longer exists (killed with SIGKILL, say). Namespaces of a live process are left alone.
 */
export function removeStale() {
  let names = [];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  const removed = [];
  for (const name of names) {
    const match = /^nlrx-bench-(\d+)-/.exec(name);
    if (!match || Number(match[1]) === process.pid) continue;
    try {
      process.kill(Number(match[1]), 0);
      continue; // its process is alive
    } catch {
      // ESRCH: the owner is gone
    }
    spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
    removed.push(name);
  }
  return removed;
}

/**
 * removeOnExit makes a standalone benchmark (not run.js, which calls
 * removeAll from its own handlers) delete its namespaces at exit and on
 * SIGINT / SIGTERM.
 */
export function removeOnExit() {
  process.on('exit', removeAll);
  process.on('SIGINT', () => { removeAll(); process.exit(130); });
  process.on('SIGTERM', () => { removeAll(); process.exit(143); });
}

/** liveNamespaces lists the namespaces created and not yet removed (for the cleanup check). */
export function liveNamespaces() {
  return [...live];
}
