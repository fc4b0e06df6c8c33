/**
 * `nlrx monitor` beside `ip monitor`: both listen to the same throw-away
 * namespace while it changes; the lines must be the same. Runs the built
 * CLI: `npm test` builds dist first; while developing, `npm run build:ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMonitorArgs } from '../../lib/cli/commands/monitor.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Running {
  child: ChildProcess;
  output: () => string;
  done: Promise<number | null>;
}

function start(command: string, args: string[]): Running {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, done };
}

async function until(check: () => boolean, timeout = 10_000): Promise<void> {
  for (const end = Date.now() + timeout; !check();) {
    if (Date.now() > end) throw new Error(`not reached in ${timeout} ms`);
    await sleep(50);
  }
}

describe('nlrx monitor arguments', () => {
  it('maps objects to kinds; all prints banners', () => {
    expect(parseMonitorArgs(['route', 'link', 'route'])).toEqual({ kinds: ['routes', 'links'], banners: false });
    expect(parseMonitorArgs(['all']).banners).toBe(true);
    expect(parseMonitorArgs([]).kinds).toEqual(['links', 'addresses', 'routes', 'neighbors', 'rules', 'nexthops']);
    expect(() => parseMonitorArgs(['bogus'])).toThrow(/unknown/);
  });
});

describe.skipIf(!isRoot)('nlrx monitor (real kernel)', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('mon');
  });
  afterAll(() => ns?.remove());

  it('prints route and address changes as ip monitor does, -j one JSON object per line, and stops on SIGTERM', async () => {
    const ours = start(process.execPath, [MAIN, '-n', ns.name, 'monitor', 'route', 'address']);
    const json = start(process.execPath, [MAIN, '-n', ns.name, '-j', 'monitor', 'route']);
    const theirs = start('ip', ['-n', ns.name, 'monitor', 'route', 'address']);
    // A sentinel change, repeated until all three print it: then all are listening.
    for (let i = 0; ![ours, json, theirs].every((r) => r.output().includes('10.200.')); i++) {
      if (i > 100) throw new Error('the monitors never started');
      ns.ip('route', 'replace', 'blackhole', `10.200.${i}.0/24`, 'table', '99');
      await sleep(100);
    }
    const skip = (text: string) => text.split('\n').filter((l) => !l.includes('10.200.')).join('\n');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.exec('sysctl', '-qw', 'net.ipv6.conf.v0.disable_ipv6=1');
    ns.exec('sysctl', '-qw', 'net.ipv6.conf.v1.disable_ipv6=1');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'v0');
    ns.ip('route', 'add', '10.5.0.0/16', 'via', '10.9.0.2', 'metric', '7');
    ns.ip('route', 'add', 'blackhole', '10.6.0.0/16', 'table', '100');
    ns.ip('route', 'del', '10.5.0.0/16');
    ns.ip('addr', 'del', '10.9.0.1/24', 'dev', 'v0');
    const lines = (text: string) => skip(text).split('\n').filter((l) => l.length > 0);
    await until(() => lines(ours.output()).length >= lines(theirs.output()).length && lines(theirs.output()).length >= 8);
    for (const r of [ours, json, theirs]) r.child.kill('SIGTERM');
    const [code] = await Promise.all([ours.done, json.done, theirs.done]);
    console.log(ours.output());
    expect(code).toBe(0);
    expect(lines(theirs.output()).length).toBeGreaterThanOrEqual(8);
    expect(lines(ours.output()).map((l) => l.trimEnd())).toEqual(lines(theirs.output()).map((l) => l.trimEnd()));
    const events = lines(json.output()).map((l) => JSON.parse(l) as { event: string; object: string; value: { dst?: string } });
    expect(events.every((e) => e.object === 'route')).toBe(true);
    expect(events.filter((e) => e.value.dst === '10.5.0.0/16').map((e) => e.event)).toEqual(['new', 'del']);
  });

  it('prints link changes as ip monitor link does, peer namespaces by name', async () => {
    const peer = createNetns('monpeer');
    try {
      ns.ip('netns', 'set', peer.name, '4');
      const ours = start(process.execPath, [MAIN, '-n', ns.name, 'monitor', 'link']);
      const theirs = start('ip', ['-n', ns.name, 'monitor', 'link']);
      // lo's MTU as the sentinel, changed until both print it: then both are listening.
      for (let i = 0; ![ours, theirs].every((r) => r.output().includes(`mtu ${60000 + i - 1} `)); i++) {
        if (i > 100) throw new Error('the monitors never started');
        ns.ip('link', 'set', 'lo', 'mtu', String(60000 + i));
        await sleep(100);
      }
      ns.ip('link', 'add', 'mv0', 'type', 'veth', 'peer', 'name', 'mv1', 'netns', peer.name);
      ns.ip('link', 'set', 'mv0', 'mtu', '1400');
      ns.ip('link', 'set', 'mv0', 'up');
      ns.ip('link', 'del', 'mv0');
      // Each event is two lines; lo's (the sentinel's) are left out.
      const events = (text: string) => text.split(/\n(?=\S)/).filter((e) => e.trim() && !/^(Deleted )?1: lo:/.test(e)).map((e) => e.trimEnd());
      await until(() => events(theirs.output()).length >= 4 && events(ours.output()).length >= events(theirs.output()).length);
      for (const r of [ours, theirs]) r.child.kill('SIGTERM');
      await Promise.all([ours.done, theirs.done]);
      expect(events(theirs.output()).length).toBeGreaterThanOrEqual(4);
      expect(events(ours.output())).toEqual(events(theirs.output()));
      expect(ours.output()).toContain(`link-netns ${peer.name}`);
    } finally {
      peer.remove();
    }
  });
});
