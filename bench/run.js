#!/usr/bin/env node
/**
 * `npm run bench [-- --sizes 10000,100000,1000000 --runs 5 --write-results]`: netlink-rx side
 * by side with the kernel's raw limit and with iproute2, in one run.
 *
 * As root it builds its own namespaces (IPv4 /32 routes at each size; veth
 * links, IPv4 addresses and permanent neighbours), measures
 *   1. the raw limit: the native socket reading the dump, nothing parsed;
 *   2. the library: typed dumps counted as they stream, and collected with
 *      toArray — every case in a fresh process, so its peak RSS is its own;
 *   3. the CLI: `nlrx -j …` against `ip -j …`, whole processes, alternating;
 *   4. `ip -j` + JSON.parse from Node, what programs do today;
 * prints a table, writes bench/results/latest.json and bench/RESULTS.md, and
 * deletes every namespace it created — also on failure and on SIGINT.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { firstError, run, runOk, stopAll } from './process.js';
import { liveNamespaces, objectNamespace, removeAll, removeStale, routeNamespace } from './fixtures.js';
import { formatMarkdown, formatReport } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// ---------------------------------------------------------------- options

const DEFAULTS = { sizes: [10_000, 100_000, 1_000_000], runs: 5, pairs: 2000, addresses: 10_000, neighbors: 100_000, objects: true };

function parseOptions(argv) {
  const options = { ...DEFAULTS, sizes: [...DEFAULTS.sizes], writeResults: false };
  const count = (text, flag) => {
    const n = Number(String(text).replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} wants a whole number, got ${JSON.stringify(text)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--sizes') options.sizes = value().split(',').filter(Boolean).map((s) => count(s, flag));
    else if (flag === '--runs') options.runs = Math.max(1, count(value(), flag));
    else if (flag === '--pairs') options.pairs = Math.max(1, count(value(), flag));
    else if (flag === '--addresses') options.addresses = count(value(), flag);
    else if (flag === '--neighbours' || flag === '--neighbors') options.neighbors = count(value(), flag);
    else if (flag === '--no-objects') options.objects = false;
    else if (flag === '--write-results') options.writeResults = true;
    else if (flag === '-h' || flag === '--help') {
      process.stdout.write(`usage: npm run bench -- [--sizes 10000,100000,1000000] [--runs 5]
       [--pairs 2000] [--addresses 10000] [--neighbors 100000] [--no-objects] [--write-results]\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${flag} (try --help)`);
  }
  return options;
}

// ---------------------------------------------------------------- measuring

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Runs one case of child.js in a fresh Node process and returns its JSON line. */
async function childCase(spec) {
  const out = await run(process.execPath, ['--expose-gc', join(here, 'child.js'), JSON.stringify(spec)], { timeoutMs: 300_000 });
  const line = out.stdout.trim().split('\n').pop();
  if (out.status !== 0 || !line) {
    const why = out.error?.message ?? out.signal ?? `exit ${out.status}`;
    return { ok: false, error: `${why}: ${out.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
  return JSON.parse(line);
}

/** A table row from a child result. */
function row(label, result, extra = {}) {
  if (!result.ok) return { label, na: result.na, error: result.error, ...extra };
  return {
    label,
    items: result.items,
    medianMs: median(result.times),
    times: result.times,
    cpuMs: median(result.cpu),
    peakRssMB: result.maxRssKB / 1024,
    baseRssMB: result.baseRssKB / 1024,
    bytes: result.bytes,
    reads: result.reads,
    datagrams: result.datagrams,
    recvCalls: result.recvCalls,
    ...extra,
  };
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs a whole process with stdout to /dev/null and returns its wall time in
 * ms and (through /usr/bin/time) its peak RSS in KiB and CPU time in ms. The same wrapper runs
 * every command, so its small cost is the same on both sides of a ratio.
 */
async function timeProcess(command, args, devnull, rssFile) {
  const out = await run(TIME ?? command, TIME ? ['-f', '%M %U %S', '-o', rssFile, command, ...args] : args, { stdout: devnull });
  if (out.status !== 0) throw new Error(`${basename(command)} ${args.join(' ')}: exit ${out.status ?? out.signal}: ${firstError(out.stderr)}`);
  if (!TIME) return { ms: out.ms, rssKB: NaN, cpuMs: NaN };
  const [rssKB, user, system] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { ms: out.ms, rssKB, cpuMs: (user + system) * 1000 };
}

/**
 * The CLI comparison: `ip` and `nlrx` with the same arguments, warmed up once
 * each with stdout through a pipe (counting the output's bytes), then `runs`
 * rounds in alternating order (ip, nlrx / nlrx, ip …) with stdout to /dev/null.
 */
async function cliCase(netns, args, runs, scratch) {
  const cli = join(root, 'dist', 'cli', 'main.js');
  const object = { route: 'route', link: 'link', addr: 'address', neigh: 'neighbor' }[args.find((a) => !a.startsWith('-'))];
  const tools = {
    ip: { command: 'ip', args: ['-n', netns, ...args], times: [], rss: [], cpu: [] },
    nlrx: { command: process.execPath, args: [cli, '-n', netns, ...args], times: [], rss: [], cpu: [] },
  };
  let nlrxMissing;
  if (!existsSync(cli)) nlrxMissing = 'not built: dist/cli/main.js';
  else if (object && !existsSync(join(root, 'dist', 'cli', 'commands', `${object}.js`))) nlrxMissing = `not built: dist/cli/commands/${object}.js`;
  const order = nlrxMissing ? ['ip'] : ['ip', 'nlrx'];
  const failures = {};
  for (const name of [...order]) {
    try {
      tools[name].bytes = (await runOk(tools[name].command, tools[name].args, { keep: false })).bytes;
    } catch (error) {
      failures[name] = error.message;
      order.splice(order.indexOf(name), 1);
    }
  }
  const devnull = openSync('/dev/null', 'w');
  const rssFile = join(scratch, 'rss');
  try {
    for (let i = 0; i < runs; i++) {
      for (const name of i % 2 ? [...order].reverse() : [...order]) {
        try {
          const { ms, rssKB, cpuMs } = await timeProcess(tools[name].command, tools[name].args, devnull, rssFile);
          tools[name].times.push(ms);
          tools[name].rss.push(rssKB);
          tools[name].cpu.push(cpuMs);
        } catch (error) {
          failures[name] = error.message;
          order.splice(order.indexOf(name), 1);
        }
      }
    }
  } finally {
    closeSync(devnull);
  }
  const result = (name) => {
    if (name === 'nlrx' && nlrxMissing) return { ok: false, na: nlrxMissing };
    if (failures[name]) return { ok: false, error: failures[name] };
    const t = tools[name];
    return { ok: true, medianMs: median(t.times), times: t.times, cpuMs: median(t.cpu), peakRssMB: Math.max(...t.rss) / 1024, bytes: t.bytes };
  };
  return { ip: result('ip'), nlrx: result('nlrx') };
}

function cliRow(label, result, role) {
  if (!result.ok) return { label, role, na: result.na, error: result.error };
  return { label, role, medianMs: result.medianMs, times: result.times, cpuMs: result.cpuMs, peakRssMB: result.peakRssMB, outputBytes: result.bytes };
}

// ---------------------------------------------------------------- one group

/**
 * measureGroup runs every case of one dump kind in one namespace and returns
 * its rows, with ratios to the raw limit (the faster of the two raw readers)
 * and to the `ip -j` process.
 */
async function measureGroup({ title, netns, kind, ipArgs, runs, scratch, log }) {
  log(`${title}`);
  const step = async (label, fn) => {
    const start = performance.now();
    const r = await fn();
    log(`  ${label.padEnd(40)} ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return r;
  };
  const rows = [];
  const raw = row('raw recv, demand-driven', await step('raw recv, demand-driven',
    () => childCase({ case: 'raw', netns, kind, runs })), { role: 'raw' });
  const rawAhead = row('raw recv, readAhead: 2', await step('raw recv, readAhead: 2',
    () => childCase({ case: 'raw', netns, kind, runs, readAhead: 2 })), { role: 'raw-ahead' });
  rows.push(raw, rawAhead);
  rows.push(row('typed, counted as it streams', await step('typed, counted',
    () => childCase({ case: 'library', netns, kind, mode: 'count', runs })), { role: 'count' }));
  rows.push(row('typed, counted, rtnetlink() readAhead 2', await step('typed, counted, rtnetlink() readAhead 2',
    () => childCase({ case: 'library', netns, kind, mode: 'count', runs, readAhead: 2 })), { role: 'count-ahead' }));
  rows.push(row('typed, collected with toArray', await step('typed, toArray',
    () => childCase({ case: 'library', netns, kind, mode: 'array', runs })), { role: 'array' }));
  rows.push(row('ip -j + JSON.parse in Node', await step('ip -j + JSON.parse',
    () => childCase({ case: 'ipjson', args: ['-n', netns, ...ipArgs], runs })), { role: 'ipjson' }));
  const paired = kind === 'route'
    ? await step('paired: raw / typed alternating', () => childCase({ case: 'paired', netns, kind, runs }))
    : undefined;
  const cli = await step('CLI: ip vs nlrx, alternating', () => cliCase(netns, ipArgs, runs, scratch));
  const shown = ipArgs.join(' ');
  rows.push(cliRow(`process: ip ${shown}`, cli.ip, 'ip-cli'));
  rows.push(cliRow(`process: nlrx ${shown}`, cli.nlrx, 'nlrx-cli'));

  const raws = [raw, rawAhead].filter((r) => r.medianMs !== undefined).map((r) => r.medianMs);
  const rawMs = raws.length ? Math.min(...raws) : undefined;
  const ipMs = cli.ip.ok ? cli.ip.medianMs : undefined;
  for (const r of rows) {
    if (r.medianMs === undefined) continue;
    if (rawMs) r.ratioRaw = r.medianMs / rawMs;
    if (ipMs) r.ratioIp = r.medianMs / ipMs;
  }
  const items = rows.find((r) => r.role === 'count')?.items ?? rows.find((r) => r.role === 'ipjson')?.items;
  let pairs;
  if (paired?.ok) {
    const m = Object.fromEntries(Object.entries(paired.paired).map(([name, times]) => [name, median(times)]));
    pairs = { times: paired.paired, medians: m, count: m.count / m.raw, countAhead: m.countAhead === undefined ? undefined : m.countAhead / m.raw };
  } else if (paired) pairs = { na: paired.na, error: paired.error };
  return { title, kind, netns, items, rawMs, ipMs, rows, paired: pairs };
}

// ---------------------------------------------------------------- targets

/** The goals, checked against the largest route size measured. */
function targets(groups) {
  const routeGroups = groups.filter((g) => g.kind === 'route');
  const g = routeGroups[routeGroups.length - 1];
  if (!g) return [];
  const get = (role) => g.rows.find((r) => r.role === role);
  const count = get('count');
  const countAhead = get('count-ahead');
  const array = get('array');
  const nlrx = get('nlrx-cli');
  const at = g.title;
  const goal = (text, value, limit, unit) => ({
    goal: text, at, limit, unit,
    measured: value,
    met: value === undefined ? undefined : value <= limit,
  });
  // The dump-to-raw ratio from the paired runs when there are some (robust to load), else from the table.
  return [
    goal('typed route dump (counted) / raw recv limit', g.paired?.count ?? count?.ratioRaw, 1.3, '×'),
    goal('  the same, rtnetlink() client (readAhead: 2)', g.paired?.countAhead ?? countAhead?.ratioRaw, 1.3, '×'),
    goal('nlrx -j route show / ip -j route show', nlrx?.ratioIp, 0.8, '×'),
    goal('typed route dump, counted: peak RSS', count?.peakRssMB, 100, 'MB'),
    goal('typed route dump, toArray: peak RSS', array?.peakRssMB, 500, 'MB'),
  ];
}

// ---------------------------------------------------------------- main

function machine() {
  const ipVersion = spawnSync('ip', ['-V'], { encoding: 'utf8' }).stdout?.trim().replace(/^ip utility, /, '');
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    iproute2: ipVersion,
  };
}

function ensureBuilt(log) {
  if (existsSync(join(root, 'dist', 'index.js'))) return;
  log('dist/ is missing: npm run build:ts');
  const out = spawnSync('npm', ['run', 'build:ts'], { cwd: root, stdio: 'inherit' });
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error(`npm run build:ts did not produce dist/index.js (exit ${out.status})`);
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const log = (text) => process.stderr.write(`${text}\n`);
  if (process.getuid?.() !== 0) throw new Error('the benchmark creates network namespaces: run it as root');
  for (const name of removeStale()) log(`removed a stale namespace of a dead benchmark: ${name}`);
  ensureBuilt(log);

  const started = performance.now();
  const loadBefore = loadavg();
  const scratch = mkdtempSync(join(tmpdir(), 'nlrx-bench-'));
  scratchDirs.push(scratch);
  const fixtures = [];
  const groups = [];
  const build = async (what, fn) => {
    const start = performance.now();
    const netns = await fn();
    const ms = performance.now() - start;
    fixtures.push({ what, netns, buildMs: ms });
    log(`fixture ${what}: ${(ms / 1000).toFixed(1)} s (${netns})`);
    return netns;
  };
  try {
    for (const size of options.sizes) {
      const netns = await build(`${size} IPv4 /32 routes`, () => routeNamespace(size));
      groups.push(await measureGroup({
        title: `routes: ${size.toLocaleString('en-US')} IPv4 /32`, netns, kind: 'route',
        ipArgs: ['-j', '-4', 'route', 'show', 'table', 'all'], runs: options.runs, scratch, log,
      }));
    }
    if (options.objects) {
      const { pairs, addresses, neighbors } = options;
      const netns = await build(`${2 * pairs} veth links, ${addresses} addresses, ${neighbors} neighbours`,
        () => objectNamespace({ pairs, addresses, neighbors }));
      const common = { netns, runs: options.runs, scratch, log };
      groups.push(await measureGroup({ ...common, title: `links: ${(2 * pairs + 1).toLocaleString('en-US')} (veth, down, no IPv6)`, kind: 'link', ipArgs: ['-j', 'link', 'show'] }));
      groups.push(await measureGroup({ ...common, title: `addresses: ${(addresses + 1).toLocaleString('en-US')} IPv4`, kind: 'address', ipArgs: ['-j', '-4', 'addr', 'show'] }));
      groups.push(await measureGroup({ ...common, title: `neighbours: ${neighbors.toLocaleString('en-US')} IPv4 permanent`, kind: 'neighbor', ipArgs: ['-j', '-4', 'neigh', 'show'] }));
    }
  } finally {
    removeAll();
    rmSync(scratch, { recursive: true, force: true });
  }
  const left = liveNamespaces().filter((n) => existsSync(`/run/netns/${n}`));
  if (left.length) throw new Error(`namespaces left behind: ${left.join(', ')}`);

  const results = {
    date: new Date().toISOString(),
    command: `npm run bench -- --sizes ${options.sizes.join(',')} --runs ${options.runs}`,
    machine: machine(),
    options,
    totalSeconds: (performance.now() - started) / 1000,
    // Other work on the machine shows in wall times, not in CPU times: keep the load with the figures.
    loadAverage: { before: loadBefore, after: loadavg() },
    fixtures,
    groups,
    targets: targets(groups),
  };
  const report = formatReport(results);
  process.stdout.write(`\n${report}\n`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  // RESULTS.md is committed: only a full run (every default size and fixture) replaces it.
  const full = DEFAULTS.sizes.every((size) => options.sizes.includes(size)) && options.objects &&
    options.runs >= DEFAULTS.runs && options.pairs >= DEFAULTS.pairs && options.neighbors >= DEFAULTS.neighbors &&
    options.addresses >= DEFAULTS.addresses;
  if (full || options.writeResults) writeFileSync(join(here, 'RESULTS.md'), formatMarkdown(results, report));
  log(`wrote bench/results/latest.json${full || options.writeResults ? ' and bench/RESULTS.md' : ' (a partial run leaves bench/RESULTS.md alone; --write-results to replace it)'} (${results.totalSeconds.toFixed(0)} s in all)`);
}

const scratchDirs = [];

// A namespace must not outlive the benchmark, however it ends.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: removing the benchmark's namespaces\n`);
    stopAll();
    removeAll();
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}
process.on('exit', () => removeAll());

main().catch((error) => {
  removeAll();
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
