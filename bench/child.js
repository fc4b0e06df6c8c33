/**
 * One benchmark case in a fresh process, so its peak RSS is its own:
 *
 *   node --expose-gc bench/child.js '<case as JSON>'
 *
 * It runs the case once to warm up, then `runs` timed runs (a full GC between
 * runs, so each run starts from the same heap), and prints one JSON line:
 * `{ ok: true, times, cpu, items, bytes?, reads?, recvCalls?, datagrams?, baseRssKB, maxRssKB }`,
 * `{ ok: false, na: reason }` when the code under test does not exist (yet),
 * or `{ ok: false, error }` when it failed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const spec = JSON.parse(process.argv[2]);

/** NotAvailable: the case's code is not there; reported as "n/a", not as a failure. */
class NotAvailable extends Error {}

/**
 * findExport returns export `name` of the first compiled module of `paths`
 * that has it (the public index first, then the file that defines it, so a
 * case also runs while the index is being rebuilt), or throws NotAvailable.
 */
async function findExport(name, ...paths) {
  for (const path of paths) {
    let module;
    try {
      module = await import(path);
    } catch (error) {
      if (error?.code === 'ERR_MODULE_NOT_FOUND') continue;
      throw error;
    }
    if (typeof module[name] === 'function') return module[name];
  }
  throw new NotAvailable(`${name} is not built (looked in ${paths.join(', ')})`);
}

/**
 * CPU time of this process (all its threads) plus that of its children that
 * have been waited for (the `ip` of the ip -j case), in ms. Children's time
 * comes from /proc/self/stat (cutime, cstime) in clock ticks of 10 ms.
 */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const childTicks = Number(fields[13]) + Number(fields[14]); // fields 16 and 17 of proc(5)
  return (user + system) / 1000 + childTicks * 10;
}

/** The peak resident set of this process so far, in KiB (VmHWM, as the kernel counts it). */
function peakRssKB() {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS;
}

// ---------------------------------------------------------------- raw limit

const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300; // NLM_F_ROOT | NLM_F_MATCH
const AF_UNSPEC = 0;
const AF_INET = 2;

/**
 * The dump requests of the raw cases, built by hand: struct nlmsghdr followed
 * by the family header the kernel expects (rtmsg 12 bytes, ifinfomsg 16,
 * ifaddrmsg 8, ndmsg 12), everything zero but the family.
 */
const RAW_REQUESTS = {
  route: { type: 26 /* RTM_GETROUTE */, size: 12, family: AF_INET },
  link: { type: 18 /* RTM_GETLINK */, size: 16, family: AF_UNSPEC },
  address: { type: 22 /* RTM_GETADDR */, size: 8, family: AF_INET },
  neighbor: { type: 30 /* RTM_GETNEIGH */, size: 12, family: AF_INET },
};

function rawRequest(kind, seq) {
  const { type, size, family } = RAW_REQUESTS[kind];
  const buf = Buffer.alloc(16 + size);
  buf.writeUInt32LE(buf.length, 0); // nlmsg_len
  buf.writeUInt16LE(type, 4); // nlmsg_type
  buf.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6); // nlmsg_flags
  buf.writeUInt32LE(seq, 8); // nlmsg_seq
  buf[16] = family; // rtm_family / ifi_family / ifa_family / ndm_family
  return buf;
}

/**
 * ended tells whether a batch holds the end of the dump. Only the last
 * datagram's headers are walked (the kernel may put NLMSG_DONE behind the last
 * objects in the same datagram); nothing else of the batch is looked at.
 */
function ended(batch) {
  const { data, ends } = batch;
  let at = ends.length > 1 ? ends[ends.length - 2] : 0;
  const end = ends[ends.length - 1];
  while (at + 16 <= end) {
    const type = data.readUInt16LE(at + 4);
    if (type === NLMSG_DONE || type === NLMSG_ERROR) return true;
    const len = data.readUInt32LE(at);
    if (len < 16) return true;
    at += (len + 3) & ~3;
  }
  return false;
}

async function rawCase({ netns, kind, readAhead }) {
  const NetlinkSocket = await findExport('NetlinkSocket', '../dist/index.js', '../dist/transport/netlink-socket.js');
  let seq = 1;
  return async () => {
    const socket = new NetlinkSocket(0, readAhead ? { netns, readAhead } : { netns });
    try {
      const before = socket.recvCalls;
      const start = performance.now();
      socket.send(rawRequest(kind, seq++));
      let bytes = 0;
      let reads = 0;
      let datagrams = 0;
      for (;;) {
        const batch = await socket.read();
        reads++;
        datagrams += batch.ends.length;
        bytes += batch.data.length;
        if (batch.truncated) throw new Error('a datagram was truncated');
        if (ended(batch)) break;
      }
      const ms = performance.now() - start;
      return { ms, bytes, reads, datagrams, recvCalls: socket.recvCalls - before };
    } finally {
      socket.close();
    }
  };
}

// ---------------------------------------------------------------- library

/** Where each dump lives: the public index first, then its own compiled file. */
const LIBRARY = {
  route: { name: 'routes', paths: ['../dist/index.js', '../dist/route/route.js'], filter: { family: 'inet', table: 'all' } },
  link: { name: 'links', paths: ['../dist/index.js', '../dist/route/link.js'], filter: {} },
  address: { name: 'addresses', paths: ['../dist/index.js', '../dist/route/address.js'], filter: { family: 'inet' } },
  neighbor: { name: 'neighbors', paths: ['../dist/index.js', '../dist/route/neighbor.js'], filter: { family: 'inet' } },
};

async function findDump(kind) {
  const { name, paths, filter } = LIBRARY[kind];
  const dump = await findExport(name, ...paths);
  return (options) => dump(filter, options);
}

/**
 * The dump of a library case. With `readAhead`, the dumps run through the
 * `rtnetlink()` client — what users get by default: its own pool, whose
 * sockets have a native reader thread (SocketOptions.readAhead) and 128 KiB
 * batches, so recv overlaps with decoding. Builds without the client's
 * readAhead option get an equivalent SocketPool.
 */
async function openDump(kind, netns, readAhead) {
  const dump = await findDump(kind);
  if (!readAhead) return () => dump({ netns });
  try {
    const rtnetlink = await findExport('rtnetlink', '../dist/index.js', '../dist/route/rtnetlink.js');
    const client = rtnetlink({ netns, readAhead });
    const { name, filter } = LIBRARY[kind];
    return () => client[name](filter);
  } catch (error) {
    if (!(error instanceof NotAvailable)) throw error;
    const SocketPool = await findExport('SocketPool', '../dist/index.js', '../dist/rx/socket-pool.js');
    const pool = new SocketPool(0, { netns, strictCheck: true, readAhead });
    return () => dump({ pool });
  }
}

async function libraryCase({ netns, kind, mode, readAhead }) {
  const open = await openDump(kind, netns, readAhead);
  const { lastValueFrom, toArray } = await import('rxjs');
  if (mode === 'count') {
    return () => new Promise((resolve, reject) => {
      let items = 0;
      const start = performance.now();
      open().subscribe({
        next: () => void items++,
        error: reject,
        complete: () => resolve({ ms: performance.now() - start, items }),
      });
    });
  }
  return async () => {
    const start = performance.now();
    const all = await lastValueFrom(open().pipe(toArray()));
    return { ms: performance.now() - start, items: all.length };
  };
}

// ---------------------------------------------------------------- ip -j + JSON.parse

async function ipJsonCase({ args }) {
  const run = promisify(execFile);
  return async () => {
    const start = performance.now();
    // What a Node program does today: run ip, collect its output, parse it.
    const { stdout } = await run('ip', args, { maxBuffer: 1 << 30 });
    const parsed = JSON.parse(stdout);
    return { ms: performance.now() - start, items: parsed.length, bytes: Buffer.byteLength(stdout) };
  };
}

// ---------------------------------------------------------------- paired

/**
 * The target ratios, measured so that load from elsewhere on the machine
 * falls on both sides alike: the raw reader and the typed dump (counted, with
 * default sockets and with readAhead: 2) alternate run by run in one process,
 * in rotating order.
 */
async function pairedCase({ netns, kind, runs }) {
  const contenders = {
    raw: await rawCase({ netns, kind }),
    count: await libraryCase({ netns, kind, mode: 'count' }),
    countAhead: await libraryCase({ netns, kind, mode: 'count', readAhead: 2 }).catch((error) => {
      if (error instanceof NotAvailable) return undefined;
      throw error;
    }),
  };
  const names = Object.keys(contenders).filter((name) => contenders[name]);
  for (const name of names) await contenders[name](); // warm-up
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      globalThis.gc?.();
      times[name].push((await contenders[name]()).ms);
    }
  }
  return { ok: true, paired: times, maxRssKB: peakRssKB() };
}

// ---------------------------------------------------------------- driver

const CASES = { raw: rawCase, library: libraryCase, ipjson: ipJsonCase };

async function main() {
  if (spec.case === 'paired') return pairedCase(spec);
  const baseRssKB = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
  const once = await CASES[spec.case](spec);
  await once(); // warm-up: JIT, socket pool, page cache of the ip binary
  globalThis.gc?.();
  const results = [];
  for (let i = 0; i < spec.runs; i++) {
    const cpu = cpuMs();
    const result = await once();
    result.cpuMs = cpuMs() - cpu;
    results.push(result);
    globalThis.gc?.();
  }
  const last = results[results.length - 1];
  return {
    ok: true,
    times: results.map((r) => r.ms),
    cpu: results.map((r) => r.cpuMs),
    items: last.items,
    bytes: last.bytes,
    reads: last.reads,
    datagrams: last.datagrams,
    recvCalls: last.recvCalls,
    baseRssKB,
    maxRssKB: peakRssKB(),
  };
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0); // pooled sockets must not keep the case alive
  },
  (error) => {
    const out = error instanceof NotAvailable
      ? { ok: false, na: error.message }
      : { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}${error.code ? ` (${error.code})` : ''}` : String(error) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exit(0);
  },
);
