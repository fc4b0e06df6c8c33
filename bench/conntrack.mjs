#!/usr/bin/env node
/**
 * `node bench/conntrack.mjs [--sizes 100000,262144] [--runs 3]` (as root, after
 * `npm run build:ts`; `npm run bench` runs it first): the conntrack table at
 * 100k entries and at the largest table a namespace may hold without changing
 * the host's settings (net.netfilter.nf_conntrack_max, host-wide, read here
 * and never written: 262,144 on these machines). For each size it fills a
 * namespace of its own with `conntrack -R FILE` (UDP entries, no traffic) and
 * measures, as medians of `runs`:
 *   1. the typed dump, `conntrack()` counted as it streams and collected with
 *      toArray — each in a fresh Node process, so its peak RSS is its own
 *      (streaming the whole table must stay under 100 MB);
 *   2. the CLI, `nlrx -n NS conntrack -L` against conntrack-tools'
 *      `conntrack -L`, whole processes, alternating, with their peak RSS.
 * It prints a table and deletes every namespace it made — also on failure
 * and on SIGINT. Without root or without `conntrack` it says so and exits 0.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = join(here, '..', 'dist', 'cli', 'main.js');
const RSS_LIMIT_MB = 100;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// ---------------------------------------------------------------- child: one typed case

/** The peak resident set of this process so far, in KiB. */
function peakRssKB() {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS;
}

async function child({ mode, netns, runs }) {
  const { conntrack } = await import('../dist/index.js');
  const { lastValueFrom, toArray, count } = await import('rxjs');
  const once = async () => {
    const start = performance.now();
    const source = conntrack({}, { netns });
    const items = mode === 'collect'
      ? (await lastValueFrom(source.pipe(toArray()))).length
      : await lastValueFrom(source.pipe(count()));
    return { ms: performance.now() - start, items };
  };
  await once(); // warm-up: the addon loaded, the code compiled
  const times = [];
  let items = 0;
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const r = await once();
    times.push(r.ms);
    items = r.items;
  }
  process.stdout.write(`${JSON.stringify({ ok: true, times, items, maxRssKB: peakRssKB() })}\n`);
}

// ---------------------------------------------------------------- parent

/** Runs a process to its end; resolves with wall time, output bytes, status and stderr. */
function timed(command, args) {
  return new Promise((resolve) => {
    const start = performance.now();
    const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      if (stdout.length < 4096) stdout += chunk;
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    proc.on('close', (status) => resolve({ ms: performance.now() - start, bytes, status, stdout, stderr }));
  });
}

/** `/usr/bin/time -f %M` around a command: its wall time and peak RSS (KiB, the last stderr line). */
async function timedWithRss(command, args) {
  const r = await timed('/usr/bin/time', ['-f', '%M', command, ...args]);
  const lines = r.stderr.trim().split('\n');
  return { ...r, maxRssKB: Number(lines[lines.length - 1]) };
}

function parseOptions(argv) {
  const options = { sizes: [100_000, 262_144], runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--sizes') options.sizes = value.split(',').filter(Boolean).map((s) => Number(s.replace(/_/g, '')));
    else if (flag === '--runs') options.runs = Math.max(1, Number(value));
    else throw new Error(`unknown option ${flag} (usage: node bench/conntrack.mjs [--sizes 100000,262144] [--runs 3])`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes wants whole numbers');
  return options;
}

const made = new Set();
function removeNamespaces() {
  for (const name of made) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
  made.clear();
}

/** A namespace holding `size` UDP conntrack entries (fewer if the kernel's limit is lower). */
function fill(size) {
  const name = `nlrx-bench-ct-${process.pid}-${size}`;
  execFileSync('ip', ['netns', 'add', name]);
  made.add(name);
  const dir = mkdtempSync(join(tmpdir(), 'nlrx-bench-ct-'));
  try {
    const file = join(dir, 'load');
    const lines = [];
    for (let i = 0; i < size; i++) {
      lines.push(`-I -p udp -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} -d 10.200.0.1 --sport ${1024 + (i >> 24)} --dport 53 -t 3600`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    // A full table makes the last inserts fail; what matters is what the table holds.
    spawnSync('ip', ['netns', 'exec', name, 'conntrack', '-R', file], { stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const held = Number(execFileSync('ip', ['netns', 'exec', name, 'conntrack', '-C'], { encoding: 'utf8' }).trim());
  return { name, held };
}

async function typedCase(mode, netns, runs) {
  const r = await timed(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', JSON.stringify({ mode, netns, runs })]);
  const line = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !line) throw new Error(`${mode} case failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(line);
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (process.getuid?.() !== 0) {
    console.log('bench/conntrack.mjs: skipped (needs root to make namespaces)');
    return;
  }
  if (spawnSync('conntrack', ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.log('bench/conntrack.mjs: skipped (conntrack-tools is not installed: apt-get install conntrack)');
    return;
  }
  const max = Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_max', 'utf8').trim());
  const rows = [];
  for (const wanted of options.sizes) {
    const size = Math.min(wanted, max);
    const fillStart = performance.now();
    const { name, held } = fill(size);
    const fillMs = performance.now() - fillStart;
    const stream = await typedCase('stream', name, options.runs);
    const collect = await typedCase('collect', name, options.runs);
    const ours = [];
    const theirs = [];
    for (let i = 0; i < options.runs; i++) {
      // Alternating, so that a busy moment of the machine costs both alike.
      ours.push(await timedWithRss(process.execPath, [MAIN, '-n', name, 'conntrack', '-L']));
      theirs.push(await timedWithRss('ip', ['netns', 'exec', name, 'conntrack', '-L']));
    }
    for (const r of [...ours, ...theirs]) if (r.status !== 0) throw new Error(`conntrack -L failed: ${r.stderr.slice(0, 300)}`);
    // The same format: the same number of bytes, but for entries one of them missed.
    if (ours[0].bytes !== theirs[0].bytes) console.log(`note: nlrx conntrack -L printed ${ours[0].bytes} bytes, conntrack -L ${theirs[0].bytes}`);
    // How many entries share their 32-bit id with another (what a dedup by id alone would drop).
    const ids = new Map();
    const idText = spawnSync('ip', ['netns', 'exec', name, 'conntrack', '-L', '-o', 'id'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
    for (const m of idText.matchAll(/ id=(\d+)/g)) ids.set(m[1], (ids.get(m[1]) ?? 0) + 1);
    const sharedIds = [...ids.values()].filter((n) => n > 1).reduce((a, n) => a + n - 1, 0);
    rows.push({
      size: held, fillMs, sharedIds,
      stream: { ms: median(stream.times), rssMB: stream.maxRssKB / 1024, items: stream.items },
      collect: { ms: median(collect.times), rssMB: collect.maxRssKB / 1024, items: collect.items },
      nlrx: { ms: median(ours.map((r) => r.ms)), rssMB: Math.max(...ours.map((r) => r.maxRssKB)) / 1024 },
      conntrack: { ms: median(theirs.map((r) => r.ms)), rssMB: Math.max(...theirs.map((r) => r.maxRssKB)) / 1024 },
    });
    removeNamespaces();
  }
  console.log(`\nconntrack table (nf_conntrack_max ${fmt(max)}, median of ${options.runs} runs)\n`);
  console.log('| entries | case | wall | × conntrack -L | peak RSS |');
  console.log('|---:|---|---:|---:|---:|');
  for (const r of rows) {
    const base = r.conntrack.ms;
    const line = (label, c) => console.log(`| ${fmt(r.size)} | ${label} | ${fmt(c.ms)} ms | ${(c.ms / base).toFixed(2)}× | ${fmt(c.rssMB)} MB |`);
    line('typed `conntrack()` counted as it streams', r.stream);
    line('typed `conntrack()` collected with toArray', r.collect);
    line('process `nlrx conntrack -L`', r.nlrx);
    line('process `conntrack -L`', r.conntrack);
  }
  console.log(`\n(filling with conntrack -R: ${rows.map((r) => `${fmt(r.size)} in ${(r.fillMs / 1000).toFixed(1)} s`).join(', ')})`);
  // The budgets are reported, not enforced here: `npm run bench` goes on to the other figures.
  for (const r of rows) {
    const rss = r.stream.rssMB < RSS_LIMIT_MB ? 'ok' : 'OVER';
    console.log(`budget: streaming ${fmt(r.size)} entries peaked at ${r.stream.rssMB.toFixed(1)} MB (limit ${RSS_LIMIT_MB} MB): ${rss}`);
    if (r.stream.items !== r.size) {
      console.log(`entries: the typed dump delivered ${fmt(r.stream.items)} of ${fmt(r.size)}; ${r.sharedIds} entries share their id with another`);
    }
  }
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3])).catch((error) => {
    console.error(error?.stack ?? error);
    process.exit(1);
  });
} else {
  process.on('exit', removeNamespaces);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { removeNamespaces(); process.exit(130); });
  main().catch((error) => {
    console.error(error?.stack ?? error);
    removeNamespaces();
    process.exit(1);
  });
}
