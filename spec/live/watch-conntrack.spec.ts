/**
 * watch('conntrack') against the real kernel: entries made, updated and
 * deleted with conntrack-tools in a throw-away namespace; the table equal to
 * `conntrack -L` after churn and after a forced event overrun; entries made
 * before anyone listened (which the kernel never announces changes of) seen
 * through the periodic re-read.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Subscription } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watch } from '../../lib/live/watch.js';
import type { Conntrack } from '../../lib/netfilter/conntrack-decode.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { diffLines, eventually, Folded } from './live-fixtures.js';

const run = promisify(execFile);

/** `conntrack ARGS` in the namespace; fails the spec when it fails. */
function ct(ns: Netns, ...args: string[]): string {
  const out = spawnSync('ip', ['netns', 'exec', ns.name, 'conntrack', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (out.status !== 0) throw new Error(`conntrack ${args.join(' ')}: ${out.stderr}`);
  return out.stdout;
}

/** `conntrack -R FILE` over `lines` (one command's arguments each); asynchronous unless `sync`. */
async function load(ns: Netns, lines: readonly string[], sync = false): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nlrx-ct-'));
  try {
    const file = join(dir, 'load');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const args = ['netns', 'exec', ns.name, 'conntrack', '-R', file];
    if (sync) {
      const out = spawnSync('ip', args, { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`conntrack -R: ${out.stderr}`);
    } else await run('ip', args, { maxBuffer: 1 << 28 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const flow = (i: number, base = 20) =>
  `-p udp -s 10.${base}.${i >> 8}.${i & 255} -d 10.99.0.1 --sport 1000 --dport 53`;
/** conntrack's arguments that select every entry from 10.BASE.0.0/16 (-U and -D take masks, not ports). */
const fromNet = (base: number) => ['-s', `10.${base}.0.0`, '--mask-src', '255.255.0.0'];

/** What `conntrack -L -o id` lists (IPv4), one normalised line per entry, sorted. */
function conntrackLines(ns: Netns): string[] {
  return ct(ns, '-L', '-o', 'id').split('\n').filter(Boolean).map((line) => {
    const field = (name: string) => new RegExp(`\\b${name}=(\\S+)`).exec(line)?.[1] ?? '-';
    return `${field('id')} ${line.split(/\s+/)[0]} ${field('src')} ${field('dst')} ${field('sport')} ${field('dport')} mark=${field('mark')}`;
  }).sort();
}

/** The same lines for a table's rows. */
function tableLines(rows: Iterable<Conntrack>): string[] {
  const names: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp' };
  return [...rows].map((c) => {
    const o = c.orig;
    return `${c.id} ${names[o?.proto ?? 0] ?? o?.proto} ${o?.src} ${o?.dst} ${o?.sport ?? '-'} ${o?.dport ?? '-'} mark=${c.mark ?? 0}`;
  }).sort();
}

describe.skipIf(!isRoot)('watch conntrack (real kernel)', () => {
  let ns: Netns;
  const subscriptions: Subscription[] = [];
  beforeAll(() => {
    ns = createNetns('ct-live');
  });
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
    ct(ns, '-F');
  });
  afterAll(() => ns?.remove());

  it('adds, changes (with the old value) and removes entries as conntrack -I/-U/-D make them', async () => {
    const folded = new Folded<Conntrack>();
    subscriptions.push(watch('conntrack', {}, { netns: ns.name }).subscribe(folded.push));
    await eventually(() => folded.synced, (n) => n === 1);
    expect(folded.rows.size).toBe(0);
    const tcp = ['-p', 'tcp', '-s', '10.0.0.1', '-d', '10.0.0.2', '--sport', '1', '--dport', '2'];
    ct(ns, '-I', ...tcp, '--state', 'SYN_SENT', '-t', '600');
    const row = () => [...folded.rows.values()].find((c) => c.orig?.src === '10.0.0.1');
    await eventually(row, (c) => c !== undefined);
    expect(row()?.protoinfo?.tcp?.state).toBe(1); // SYN_SENT
    ct(ns, '-U', ...tcp, '-m', '5');
    const change = await eventually(() => folded.events.find((e) => e.type === 'change'), (e) => e !== undefined);
    expect(change?.type === 'change' && [change.old.mark ?? 0, change.value.mark]).toEqual([0, 5]);
    // The update event carries no protocol state: the row keeps the one it had.
    expect(row()?.protoinfo?.tcp?.state).toBe(1);
    expect(row()?.id).toBe(Number(/id=(\d+)/.exec(ct(ns, '-L', '-o', 'id'))?.[1]));
    ct(ns, '-D', ...tcp);
    await eventually(row, (c) => c === undefined);
    expect(folded.rows.size).toBe(0);
    expect(folded.events.filter((e) => e.type === 'remove')).toHaveLength(1);
    expect(folded.synced).toBe(1);
  });

  it('equals conntrack -L after churn, with a filter applied to events and dumps alike', async () => {
    await load(ns, Array.from({ length: 100 }, (_, i) => `-I ${flow(i)} -t 600`));
    const all = new Folded<Conntrack>();
    const filtered = new Folded<Conntrack>();
    subscriptions.push(watch('conntrack', {}, { netns: ns.name }).subscribe(all.push));
    subscriptions.push(watch('conntrack', { mark: 7 }, { netns: ns.name }).subscribe(filtered.push));
    await eventually(() => all.synced + filtered.synced, (n) => n === 2);
    expect(all.rows.size).toBe(100);
    expect(filtered.rows.size).toBe(0);
    // Entries made while we listen, then a third of them updated and a third deleted (conntrack -R runs
    // only -I, and a -D per line is slow: one conntrack -U / -D each, of every entry from a network).
    await load(ns, Array.from({ length: 600 }, (_, i) => `-I ${flow(i, 21 + (i % 3))} -t 600`));
    ct(ns, '-U', ...fromNet(22), '-m', '7');
    ct(ns, '-D', ...fromNet(23));
    const expected = conntrackLines(ns);
    expect(expected).toHaveLength(100 + 400);
    const got = await eventually(() => tableLines(all.rows.values()), (l) => l.join() === expected.join());
    expect(got, diffLines(expected, got)).toEqual(expected);
    await eventually(() => filtered.rows.size, (n) => n === 200);
    expect([...filtered.rows.values()].every((c) => c.mark === 7 && c.orig?.src?.startsWith('10.22.'))).toBe(true);
    // Every mark came with an update event (no re-read yet): one change each in the whole table.
    expect(all.events.filter((e) => e.type === 'change')).toHaveLength(200);
    expect(all.events.some((e) => e.type === 'resync')).toBe(false);
  });

  it('converges after an event overrun (tiny receive buffer, a conntrack -R flood nobody reads)', async () => {
    const folded = new Folded<Conntrack>();
    // No polls: only the overrun can bring the table back.
    subscriptions.push(watch('conntrack', {}, { netns: ns.name, rcvbuf: 4096, storm: false, poll: false }).subscribe(folded.push));
    await eventually(() => folded.synced, (n) => n === 1);
    // Synchronous: the event loop is blocked while the kernel queues 3000 + 1000 events into a 4 KiB buffer.
    await load(ns, Array.from({ length: 3000 }, (_, i) => `-I ${flow(i, 24 + (i % 3))} -t 600`), true);
    ct(ns, '-D', ...fromNet(26));
    const expected = conntrackLines(ns);
    expect(expected).toHaveLength(2000);
    const got = await eventually(() => tableLines(folded.rows.values()), (l) => l.join() === expected.join());
    expect(got, diffLines(expected, got)).toEqual(expected);
    expect(folded.events.filter((e) => e.type === 'resync').map((e) => e.type === 'resync' && e.reason)).toEqual(['overrun']);
  });

  it('switches to storm mode under an event flood (re-read and compare) and converges', async () => {
    const folded = new Folded<Conntrack>();
    subscriptions.push(watch('conntrack', {}, { netns: ns.name, poll: false, storm: { enter: 100, window: 100 } })
      .subscribe(folded.push));
    await eventually(() => folded.synced, (n) => n === 1);
    // Asynchronous: events arrive while the flood runs, faster than 100 per 100 ms.
    await load(ns, Array.from({ length: 4000 }, (_, i) => `-I ${flow(i, 28)} -t 600`));
    const expected = conntrackLines(ns);
    expect(expected).toHaveLength(4000);
    const got = await eventually(() => tableLines(folded.rows.values()), (l) => l.join() === expected.join());
    expect(got, diffLines(expected, got)).toEqual(expected);
    expect(folded.events.some((e) => e.type === 'resync' && e.reason === 'storm')).toBe(true);
  });

  it('sees changes the kernel never announces (entries made before anyone listened) through the periodic re-read', async () => {
    // Nobody listens in this namespace now: these entries get no event cache.
    ct(ns, '-I', ...flow(1, 27).split(' '), '-t', '600');
    ct(ns, '-I', ...flow(2, 27).split(' '), '-t', '600');
    const folded = new Folded<Conntrack>();
    subscriptions.push(watch('conntrack', {}, { netns: ns.name, poll: 300 }).subscribe(folded.push));
    await eventually(() => folded.synced, (n) => n === 1);
    expect(folded.rows.size).toBe(2);
    ct(ns, '-D', ...flow(1, 27).split(' '));
    ct(ns, '-U', ...flow(2, 27).split(' '), '-m', '9');
    await eventually(() => tableLines(folded.rows.values()), (l) => l.join() === conntrackLines(ns).join());
    expect(folded.rows.size).toBe(1);
    expect([...folded.rows.values()][0]?.mark).toBe(9);
    const resyncs = folded.events.filter((e) => e.type === 'resync');
    // Polls that found nothing said nothing; the ones that found the changes said 'poll'.
    expect(resyncs.length).toBeGreaterThan(0);
    expect(resyncs.every((e) => e.type === 'resync' && e.reason === 'poll')).toBe(true);
  });
});
