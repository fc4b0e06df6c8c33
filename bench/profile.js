#!/usr/bin/env node
/**
 * Profiles one typed dump with V8's sampling profiler and lists where the time goes:
 *
 *   node bench/profile.js [--kind route] [--size 1000000] [--mode count|array] [--runs 3] [--top 25]
 *   node bench/profile.js FILE.cpuprofile      (summarizes an existing profile)
 *
 * As root it builds a fixture namespace (routes: `size` IPv4 /32 routes;
 * other kinds: the objects namespace of run.js), runs the dump `runs` times
 * after a warm-up in a child started with `--cpu-prof`, prints the functions
 * with the most self time and the files they are in, and deletes the namespace.
 * The .cpuprofile stays in bench/results/profiles/ (open it in Chrome DevTools).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { objectNamespace, removeAll, routeNamespace } from './fixtures.js';
import { runOk, stopAll } from './process.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function parse(argv) {
  const o = { kind: 'route', size: 1_000_000, mode: 'count', runs: 3, top: 25 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o)) throw new Error(`unknown option ${argv[i]}`);
    o[key] = typeof o[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return o;
}

/** Self time per function (and per file) from a .cpuprofile: samples × their interval. */
function summarize(profile, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const f = node.callFrame;
    const file = !f.url ? '' : f.url.startsWith('file:') ? relative(root, fileURLToPath(f.url)) : f.url;
    const key = `${f.functionName || '(anonymous)'}  ${file ? `${file}:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]);
  const files = new Map();
  for (const [key, ms] of rows) {
    const file = key.split('  ')[1]?.replace(/:\d+$/, '') || key;
    files.set(file, (files.get(file) ?? 0) + ms);
  }
  const pct = (ms) => `${((100 * ms) / total).toFixed(1).padStart(5)}%`;
  const lines = [`total ${total.toFixed(0)} ms sampled`, '', 'self time by function:'];
  for (const [key, ms] of rows.slice(0, top)) lines.push(`  ${pct(ms)} ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  lines.push('', 'self time by file:');
  for (const [file, ms] of [...files.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    lines.push(`  ${pct(ms)} ${ms.toFixed(0).padStart(6)} ms  ${file}`);
  }
  return lines.join('\n');
}

async function main() {
  const o = parse(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('profiling builds a namespace: run it as root');
  const dir = join(here, 'results', 'profiles');
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  try {
    const netns = o.kind === 'route'
      ? await routeNamespace(o.size)
      : await objectNamespace({ pairs: 2000, addresses: 10_000, neighbors: 100_000 });
    const spec = { case: 'library', netns, kind: o.kind, mode: o.mode, runs: o.runs };
    const out = await runOk(process.execPath, ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${dir}`, join(here, 'child.js'), JSON.stringify(spec)]);
    process.stdout.write(`${out.stdout.trim()}\n`);
  } finally {
    removeAll();
  }
  const made = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  return { made, dir, o };
}

async function report({ made, dir, o }) {
  if (!made.length) throw new Error('no .cpuprofile was written');
  const file = join(dir, made[0]);
  process.stdout.write(`\n${o.kind} dump, ${o.mode}, ${o.runs} runs + warm-up: ${relative(root, file)}\n`);
  process.stdout.write(`${summarize(JSON.parse(readFileSync(file, 'utf8')), o.top)}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopAll();
    removeAll();
    process.exit(130);
  });
}
const summarizeOnly = process.argv[2]?.endsWith('.cpuprofile') ? process.argv[2] : undefined;
(summarizeOnly
  ? Promise.resolve().then(() => process.stdout.write(`${summarize(JSON.parse(readFileSync(summarizeOnly, 'utf8')), 25)}\n`))
  : main().then(report)
).catch((error) => {
  removeAll();
  process.stderr.write(`profile failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
