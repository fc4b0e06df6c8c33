/**
 * socketOwners beside `ss -p`: a child node process in a throw-away namespace
 * holds a listening socket and a connected pair, and hands the listening
 * socket's descriptor to a grandchild; the owners found must be the ones `ss
 * -tanpe` names for each inode. A crafted proc tree covers processes that
 * vanish mid-scan.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketOwners, type SocketOwner } from '../../lib/sockdiag/socket-owners.js';
import { NetlinkSyscallError } from '../../lib/errors.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

/** Listens, connects to itself, then starts a child that inherits the listening socket as its fd 3. */
const HOLDER = `
const net = require('net'), { spawn } = require('child_process');
const server = net.createServer(() => {});
server.listen(7000, '127.0.0.1', () => {
  const client = net.connect(7000, '127.0.0.1', () => {
    const child = spawn('sleep', ['600'], { stdio: ['ignore', 'ignore', 'ignore', server._handle.fd] });
    process.stdout.write(child.pid + '\\n');
    process.stdin.on('end', () => { child.kill(); process.exit(0); });
    process.stdin.resume();
  });
});`;

/** `users:(("node",pid=1,fd=2),…)` → owners, in the order ss prints them. */
function users(text: string): SocketOwner[] {
  return [...text.matchAll(/\("([^"]*)",pid=(\d+),fd=(\d+)\)/g)].map((m) => ({ command: m[1], pid: Number(m[2]), fd: Number(m[3]) }));
}

describe.skipIf(!isRoot)('socketOwners beside ss -p', () => {
  let ns: Netns;
  let holder: ChildProcess;
  let sleeper: number;

  beforeAll(async () => {
    ns = createNetns('owners');
    holder = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', HOLDER], { stdio: ['pipe', 'pipe', 'inherit'] });
    sleeper = Number(await new Promise<string>((resolve) => holder.stdout?.once('data', (d: Buffer) => resolve(d.toString()))));
  });
  afterAll(() => {
    holder?.stdin?.end();
    holder?.kill();
    ns?.remove();
  });

  it('finds, for every socket ss shows with owners, the same processes and descriptors', async () => {
    const ss = spawnSync('ip', ['netns', 'exec', ns.name, 'ss', '-tanpe'], { encoding: 'utf8' });
    expect(ss.status).toBe(0);
    const rows = ss.stdout.split('\n').slice(1).filter((line) => / ino:\d+/.test(line));
    expect(rows.length).toBe(3); // the listener and both ends of the connection
    const owners = await socketOwners();
    for (const row of rows) {
      const inode = Number(/ ino:(\d+)/.exec(row)?.[1]);
      // ss prints the last found first; socketOwners keeps the scan order.
      expect(owners.get(inode)).toEqual(users(row).reverse());
    }
    const listener = rows.find((row) => row.includes('LISTEN')) ?? '';
    const shared = owners.get(Number(/ ino:(\d+)/.exec(listener)?.[1])) ?? [];
    expect(shared.map((o) => o.command)).toEqual(['node', 'sleep']);
    expect(shared[1]).toEqual({ pid: sleeper, command: 'sleep', fd: 3 });
  });

  it('looks up only the inodes asked for', async () => {
    const all = await socketOwners();
    const [first] = [...all.keys()];
    const some = await socketOwners({ inodes: [first] });
    expect([...some.keys()]).toEqual([first]);
    expect(some.get(first)).toEqual(all.get(first));
  });
});

describe('socketOwners over a crafted proc tree', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nlrx-proc-'));
    const proc = (pid: number, stat: string | undefined, fds: Record<number, string>) => {
      mkdirSync(join(root, String(pid), 'fd'), { recursive: true });
      if (stat !== undefined) writeFileSync(join(root, String(pid), 'stat'), stat);
      for (const [fd, target] of Object.entries(fds)) symlinkSync(target, join(root, String(pid), 'fd', fd));
    };
    proc(10, '10 (ab) c)) S 1 1', { 3: 'socket:[42]', 4: 'pipe:[7]', 12: 'socket:[43]' });
    proc(9, '9 (first) S 1 1', { 5: 'socket:[42]' });
    proc(11, undefined, { 6: 'socket:[42]' }); // exited after its fds were read: no stat
    mkdirSync(join(root, '12')); // exited before: no fd directory
    proc(100, '100 (late) S 1 1', { 2: 'socket:[42]', 10: 'socket:[42]' });
    mkdirSync(join(root, 'self'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('orders owners by pid then fd, cuts the command at the first ")", skips vanished processes', async () => {
    const owners = await socketOwners({ procRoot: root });
    expect(owners.get(42)).toEqual([
      { pid: 9, command: 'first', fd: 5 },
      { pid: 10, command: 'ab', fd: 3 },
      { pid: 100, command: 'late', fd: 2 },
      { pid: 100, command: 'late', fd: 10 },
    ]);
    expect(owners.get(43)).toEqual([{ pid: 10, command: 'ab', fd: 12 }]);
    expect(owners.size).toBe(2);
  });

  it('rejects with a NetlinkSyscallError when the proc root cannot be listed', async () => {
    const error = await socketOwners({ procRoot: join(root, 'missing') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkSyscallError);
    expect((error as NetlinkSyscallError).code).toBe('ENOENT');
  });
});
