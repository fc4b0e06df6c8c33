#!/usr/bin/env node
/**
 * `node bench/sockets.mjs [--pairs 50000] [--runs 5]` (as root, after
 * `npm run build:ts`; `npm run bench` runs it): a namespace of its own holding
 * `pairs` connected TCP pairs (2 × pairs established sockets, plus the
 * listeners) held by processes inside it — as many as the fd limit asks
 * (it cannot be raised here: each holds at most ~18k sockets) — and the
 * namespace's own ip_local_port_range widened (a per-namespace sysctl; the
 * host's is untouched). Measured, as medians of `runs`, alternating:
 *   1. the typed dump, `sockets({ protocol: 'tcp' })` counted as it streams,
 *      in this process (warm): with every extension (tcp_info, memory,
 *      congestion …, the default) and with none (what `ss -tan` asks for);
 *   2. the CLI, `nlrx -n NS ss -tan` against iproute2's `ss -tan` in the
 *      namespace, whole processes, output to a pipe.
 * It prints the figures and the ratios and deletes the namespace — also on
 * failure and on SIGINT. Without root it says so and exits 0.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = join(here, '..', 'dist', 'cli', 'main.js');
const { values } = parseArgs({ options: { pairs: { type: 'string', default: '50000' }, runs: { type: 'string', default: '5' } } });
const PAIRS = Number(values.pairs);
const RUNS = Number(values.runs);
const PORTS = 4; // listeners per holder: each takes its share of the holder's connections
/** Sockets one holder may keep: its fd limit, less a margin for Node's own. */
const PER_HOLDER = Math.max(1000, Math.floor((Number(execFileSync('sh', ['-c', 'ulimit -n']).toString()) - 500) / 2));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** The holder: listens on PORTS ports of 127.0.0.1, connects `pairs` clients, says "ready", then waits. */
const HOLDER = `
const net = require('node:net');
const [pairs, ports, base] = process.argv.slice(1).map(Number);
const servers = [];
const held = [];
let listening = 0;
for (let p = 0; p < ports; p++) {
  const server = net.createServer((s) => held.push(s));
  server.maxConnections = pairs;
  server.listen({ port: base + p, host: '127.0.0.1', backlog: 4096 }, () => { if (++listening === ports) connect(0); });
  servers.push(server);
}
function connect(i) {
  let open = 0;
  const batch = Math.min(i + 2000, pairs);
  for (let k = i; k < batch; k++) {
    const c = net.connect({ port: base + (k % ports), host: '127.0.0.1' }, () => {
      if (++open === batch - i) (batch < pairs ? connect(batch) : process.stdout.write('ready\\n'));
    });
    c.on('error', (e) => { process.stderr.write(String(e) + '\\n'); process.exit(1); });
    held.push(c);
  }
}
`;

function run(command, args) {
  const started = performance.now();
  const out = spawnSync(command, args, { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'inherit'] });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${out.status}`);
  return { ms: performance.now() - started, lines: out.stdout.toString().split('\n').length - 1 };
}

async function main() {
  if (process.getuid?.() !== 0) {
    console.log('bench/sockets: needs root (a namespace of its own); skipped.');
    return;
  }
  const ns = `nlrx-bench-sk-${process.pid}`;
  const holders = [];
  const cleanup = () => {
    for (const holder of holders) holder.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', ns]);
  };
  process.on('SIGINT', () => { cleanup(); process.exit(130); });
  try {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_local_port_range=10000 65000']);
    const madeAt = performance.now();
    for (let left = PAIRS, h = 0; left > 0; h++) {
      const pairs = Math.min(left, PER_HOLDER);
      left -= pairs;
      const holder = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', HOLDER, String(pairs), String(PORTS), String(5000 + h * PORTS)],
        { stdio: ['ignore', 'pipe', 'inherit'] });
      holders.push(holder);
      await new Promise((resolve, reject) => {
        holder.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
        holder.on('exit', (code) => reject(new Error(`a socket holder exited ${code}`)));
      });
    }
    console.log(`bench/sockets: ${PAIRS} connected pairs (${2 * PAIRS} established sockets, ${holders.length} holders) in ${ns}, made in ${((performance.now() - madeAt) / 1000).toFixed(1)} s`);

    const { sockets } = await import('../dist/index.js');
    const { lastValueFrom, count } = await import('rxjs');
    const typed = async (extensions) => {
      const started = performance.now();
      const n = await lastValueFrom(sockets({ family: 'inet', protocol: 'tcp' }, { netns: ns, extensions }).pipe(count()));
      return { ms: performance.now() - started, n };
    };
    await typed(); // warm-up
    const rows = { typed: [], bare: [], nlrx: [], ss: [] };
    let counts = {};
    for (let i = 0; i < RUNS; i++) {
      const t = await typed(undefined);
      rows.typed.push(t.ms);
      rows.bare.push((await typed(0)).ms);
      const ours = run(process.execPath, [MAIN, '-n', ns, 'ss', '-tan']);
      const theirs = run('ip', ['netns', 'exec', ns, 'ss', '-tan']);
      rows.nlrx.push(ours.ms);
      rows.ss.push(theirs.ms);
      counts = { typed: t.n, nlrx: ours.lines, ss: theirs.lines };
    }
    const ss = median(rows.ss);
    console.log(`sockets counted: typed ${counts.typed}, nlrx ss -tan ${counts.nlrx} lines, ss -tan ${counts.ss} lines`);
    console.log('| | median ms | × ss -tan |');
    console.log('|---|---:|---:|');
    for (const [name, label] of [['typed', 'sockets(), every extension, streamed'], ['bare', 'sockets(), no extensions, streamed'],
      ['nlrx', 'nlrx ss -tan'], ['ss', 'ss -tan']]) {
      const m = median(rows[name]);
      console.log(`| ${label} | ${m.toFixed(0)} | ${(m / ss).toFixed(2)}× |`);
    }
  } finally {
    cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
