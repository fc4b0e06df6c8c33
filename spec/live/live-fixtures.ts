/**
 * Fixtures of the live-table specs: an asynchronous `ip -batch` (so the
 * watcher reads while the kernel changes), `ip -j` as the oracle of the
 * route table, and a bounded wait for convergence.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Route } from '../../lib/route/route.js';
import type { TableEvent } from '../../lib/live/table-event.js';
import type { Netns } from '../helpers/netns.js';

const run = promisify(execFile);

/** Runs `ip -n NS -batch` over `lines` without blocking the event loop. */
export async function batchAsync(ns: Netns, lines: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nlrx-live-'));
  try {
    const file = join(dir, 'batch');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await run('ip', ['-n', ns.name, '-batch', file], { maxBuffer: 1 << 28 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 100 ms for up to `timeout` ms; returns its last result. */
export async function eventually<T>(check: () => T | Promise<T>, done: (value: T) => boolean, timeout = 20_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (done(value)) return value;
    // A condition never met is the spec's failure, not a value to go on with.
    if (Date.now() > end) throw new Error(`not reached in ${timeout} ms; last value: ${String(JSON.stringify(value)).slice(0, 500)}`);
    await sleep(100);
  }
}

/** Folds watch events into a table, counting `synced` markers. */
export class Folded<T> {
  readonly rows = new Map<string, T>();
  readonly events: TableEvent<T>[] = [];
  synced = 0;
  push = (event: TableEvent<T>): void => {
    this.events.push(event);
    if (event.type === 'synced') this.synced++;
    else if (event.type === 'add' || event.type === 'change') this.rows.set(event.key, event.value);
    else if (event.type === 'remove') this.rows.delete(event.key);
  };
}

interface IpRoute {
  type?: string;
  dst: string;
  dev?: string;
  table?: string;
  metric?: number;
  gateway?: string;
}

const TABLES: Record<string, number> = { main: 254, local: 255, default: 253 };
const TYPES = ['unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw'];

function line(family: number, table: number, dst: string, len: number, metric: number, type: number, dev: string, gw: string): string {
  return `${family === 2 ? 'inet' : 'inet6'} table ${table} ${dst}/${len} metric ${metric} ${TYPES[type] ?? type} dev ${dev} via ${gw}`;
}

/** What `ip -j route show table all` (both families) shows, one normalised line per route, sorted. */
export function ipRouteLines(ns: Netns, families: readonly number[] = [2, 10]): string[] {
  const out: string[] = [];
  for (const [family, flag] of ([[2, '-4'], [10, '-6']] as const).filter(([f]) => families.includes(f))) {
    for (const r of ns.ipJson<IpRoute[]>(flag, 'route', 'show', 'table', 'all')) {
      const [dst, len] = r.dst === 'default' ? ['', 0]
        : r.dst.includes('/') ? [r.dst.split('/')[0], Number(r.dst.split('/')[1])] : [r.dst, family === 2 ? 32 : 128];
      const table = r.table === undefined ? 254 : TABLES[r.table] ?? Number(r.table);
      out.push(line(family, table, dst, len, r.metric ?? 0, TYPES.indexOf(r.type ?? 'unicast'), r.dev ?? '-', r.gateway ?? '-'));
    }
  }
  return out.sort();
}

/** The same lines for routes a live table holds (IPv4 and IPv6 only). */
export function tableRouteLines(ns: Netns, rows: Iterable<Route>): string[] {
  const names = new Map(ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show').map((l) => [l.ifindex, l.ifname]));
  const out: string[] = [];
  for (const r of rows) {
    if (r.family !== 2 && r.family !== 10) continue;
    const dev = r.oif === undefined ? '-' : names.get(r.oif) ?? String(r.oif);
    out.push(line(r.family, r.table, r.dst ?? '', r.dstLen, r.priority ?? 0, r.type, dev, r.gateway ?? '-'));
  }
  return out.sort();
}

/** A short description of the difference between two sorted line lists, for failure messages. */
export function diffLines(expected: readonly string[], actual: readonly string[]): string {
  const a = new Set(actual);
  const e = new Set(expected);
  const missing = expected.filter((x) => !a.has(x));
  const extra = actual.filter((x) => !e.has(x));
  return `${missing.length} missing (${missing.slice(0, 3).join('; ')}), ${extra.length} extra (${extra.slice(0, 3).join('; ')})`;
}
