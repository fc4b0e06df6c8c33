/**
 * watch('sockets') against the real kernel, in a throw-away namespace: a
 * process holding a listening TCP socket, an established pair and a UDP
 * socket. New sockets come with the periodic re-read; closed ones leave with
 * the kernel's destroy notifications (no re-read needed); the table equals
 * what `ss` lists.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Subscription } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watch } from '../../lib/live/watch.js';
import type { Socket } from '../../lib/sockdiag/socket.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { diffLines, eventually, Folded } from './live-fixtures.js';

// Listens on TCP PORT, connects to itself, binds UDP PORT; says "ready" once all three exist.
const HOLDER = `
const net = require('node:net'), dgram = require('node:dgram');
const port = Number(process.argv[1]);
const server = net.createServer(() => undefined).listen(port, '127.0.0.1', () => {
  const client = net.connect(port, '127.0.0.1', () => {
    dgram.createSocket('udp4').bind(port, '127.0.0.1', () => process.stdout.write('ready\\n'));
  });
});
setInterval(() => undefined, 1 << 30);
`;

/** Starts the holder in `ns`; resolves once its sockets exist. */
function holder(ns: Netns, port: number): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', HOLDER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`holder exited (${code})`)));
  });
}

const STATES = ['UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT',
  'LAST-ACK', 'LISTEN', 'CLOSING', 'NEW-SYN-RECV'];

/** What `ss -tuanH` lists, one normalised line per socket, sorted. */
function ssLines(ns: Netns): string[] {
  return ns.exec('ss', '-tuanH').split('\n').filter(Boolean).map((line) => {
    const [proto, state, , , local, peer] = line.trim().split(/\s+/);
    return `${proto} ${state} ${local} ${peer}`;
  }).sort();
}

/** The same lines for a table's inet rows. */
function tableLines(rows: Iterable<Socket>): string[] {
  const out: string[] = [];
  for (const s of rows) {
    if (s.kind !== 'inet') continue;
    const at = (addr: string, port: number) => `${s.family === 10 ? `[${addr}]` : addr === '0.0.0.0' ? '0.0.0.0' : addr}:${port === 0 ? '*' : port}`;
    out.push(`${s.protocol === 6 ? 'tcp' : 'udp'} ${STATES[s.state]} ${at(s.src, s.srcPort)} ${at(s.dst, s.dstPort)}`);
  }
  return out.sort();
}

describe.skipIf(!isRoot)('watch sockets (real kernel)', () => {
  let ns: Netns;
  const subscriptions: Subscription[] = [];
  const children: ChildProcess[] = [];
  beforeAll(() => {
    ns = createNetns('sk-live');
  });
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });
  afterAll(() => ns?.remove());

  it('sees new sockets at the next re-read, equal to ss -tuan', async () => {
    const folded = new Folded<Socket>();
    subscriptions.push(watch('sockets', { protocol: ['tcp', 'udp'] }, { netns: ns.name, poll: 200 }).subscribe(folded.push));
    await eventually(() => folded.synced, (n) => n === 1);
    expect(folded.rows.size).toBe(0);
    children.push(await holder(ns, 7001));
    const expected = ssLines(ns);
    expect(expected).toHaveLength(4); // LISTEN, the pair, UDP
    const got = await eventually(() => tableLines(folded.rows.values()), (l) => l.join() === expected.join());
    expect(got, diffLines(expected, got)).toEqual(expected);
    expect(folded.events.filter((e) => e.type === 'resync').every((e) => e.type === 'resync' && e.reason === 'poll')).toBe(true);
    // A socket's identity is its cookie.
    for (const [key, s] of folded.rows) expect(key).toBe(String(s.cookie));
  });

  it('drops closed TCP and UDP sockets on the kernel\'s destroy notifications, without a re-read', async () => {
    const child = await holder(ns, 7002);
    children.push(child);
    const folded = new Folded<Socket>();
    // No polls: a removal can only come from a destroy notification.
    subscriptions.push(watch('sockets', { protocol: ['tcp', 'udp'] }, { netns: ns.name, poll: false }).subscribe(folded.push));
    await eventually(() => folded.synced, (n) => n === 1);
    expect(tableLines(folded.rows.values())).toEqual(ssLines(ns));
    // (The first spec's pair may linger in TIME-WAIT: only this holder's sockets count.)
    const mine = () => [...folded.rows.values()].filter((s) => s.kind === 'inet' && (s.srcPort === 7002 || s.dstPort === 7002));
    expect(mine()).toHaveLength(4);
    child.kill('SIGKILL');
    await eventually(() => mine().length, (n) => n === 0);
    expect(folded.events.filter((e) => e.type === 'remove')).toHaveLength(4);
    expect(folded.events.some((e) => e.type === 'resync')).toBe(false);
  });

  it('keeps to its filter: a listening-only table never holds the pair or the UDP socket', async () => {
    const listening = new Folded<Socket>();
    subscriptions.push(watch('sockets', { protocol: 'tcp', states: [10] }, { netns: ns.name, poll: 200 })
      .subscribe(listening.push));
    await eventually(() => listening.synced, (n) => n === 1);
    children.push(await holder(ns, 7003));
    await eventually(() => listening.rows.size, (n) => n === 1);
    // The re-read that found the listener found the pair and the UDP socket too (the holder made them first).
    expect(listening.events.filter((e) => e.type === 'add')).toHaveLength(1);
    const [only] = [...listening.rows.values()];
    expect(only?.kind === 'inet' && [only.state, only.srcPort]).toEqual([10, 7003]);
  });
});
