/**
 * Oracle specs for `nlrx route|rule|nexthop show`: on the routing fixture,
 * `nlrx -j …` must print exactly what `ip -j …` prints (same keys, values,
 * key order, object order), and the text form the same lines.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouteFixture } from '../helpers/route-fixture.js';
import { isRoot, type Netns } from '../helpers/netns.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function nlrx(...args: string[]) {
  const run = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function ip(...args: string[]) {
  const run = spawnSync('ip', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const COMMANDS: readonly string[][] = [
  ['route', 'show'],
  ['route', 'show', 'table', 'all'],
  ['-6', 'route', 'show'],
  ['-4', 'route', 'show', 'table', 'all'],
  ['-6', 'route', 'show', 'table', 'all'],
  ['route', 'show', 'table', '100'],
  ['-6', 'route', 'show', 'table', '100'],
  ['route', 'show', 'table', '1000'],
  ['route', 'show', 'table', 'local'],
  ['route', 'show', 'dev', 'v0'],
  ['route', 'show', 'table', 'all', 'dev', 'w0'],
  ['route', 'show', 'proto', 'static'],
  ['route', 'show', 'table', 'all', 'proto', 'kernel'],
  ['route', 'show', 'type', 'blackhole'],
  ['route', 'show', 'table', 'all', 'type', 'unreachable'],
  ['-6', 'route', 'show', 'type', 'unreachable'],
  ['route', 'show', 'scope', 'link'],
  ['rule', 'show'],
  ['-6', 'rule', 'show'],
  ['rule', 'show', 'table', '100'],
  ['nexthop', 'show'],
  ['nexthop', 'show', 'groups'],
  ['nexthop', 'show', 'dev', 'v0'],
  ['-6', 'nexthop', 'show'],
  ['nexthop', 'show', 'id', '10'],
];

describe.skipIf(!isRoot)('nlrx route/rule/nexthop show against ip (real kernel)', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createRouteFixture('cli');
  });
  afterAll(() => ns?.remove());

  it.each(COMMANDS.map((c) => [c.join(' '), c]))('-j %s prints what ip -j prints', (_name, command) => {
    const theirs = ip('-n', ns.name, '-j', ...command);
    const ours = nlrx('-n', ns.name, '-j', ...command);
    expect(theirs.status).toBe(0);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    const parsed = JSON.parse(ours.stdout) as unknown[];
    expect(parsed).toEqual(JSON.parse(theirs.stdout));
    // Byte for byte: identical key order and number formatting.
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it('the fixture is rich enough for the comparison to mean something', () => {
    const all = JSON.parse(ip('-n', ns.name, '-j', 'route', 'show', 'table', 'all').stdout) as Record<string, unknown>[];
    const keys = new Set(all.flatMap((r) => Object.keys(r)));
    for (const key of ['type', 'gateway', 'via', 'dev', 'table', 'protocol', 'scope', 'prefsrc', 'metric', 'metrics',
      'nexthops', 'nhid', 'pref']) expect(keys).toContain(key);
    expect(all.some((r) => (r.flags as string[]).includes('onlink'))).toBe(true);
  });

  it.each(COMMANDS.map((c) => [c.join(' '), c]))('text %s prints the lines ip prints', (_name, command) => {
    expect(nlrx('-n', ns.name, ...command).stdout).toBe(ip('-n', ns.name, ...command).stdout);
  });

  it('-j -p pretty-prints as ip -j -p does', () => {
    for (const command of [['route', 'show', 'table', 'all'], ['rule', 'show'], ['nexthop', 'show']]) {
      expect(nlrx('-n', ns.name, '-j', '-p', ...command).stdout).toBe(ip('-n', ns.name, '-j', '-p', ...command).stdout);
    }
  });

  it('an unknown device is a usage error: stderr, non-zero exit, no stack trace', () => {
    const run = nlrx('-n', ns.name, 'route', 'show', 'dev', 'nope0');
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('Cannot find device "nope0"\n');
  });

  it('bad arguments and a missing namespace fail cleanly', () => {
    for (const args of [['-n', ns.name, 'route', 'show', 'table', 'bogus'], ['-n', ns.name, 'route', 'show', 'frobnicate'],
      ['-n', ns.name, 'nexthop', 'show', 'dev', 'nope0'], ['-n', ns.name, 'rule', 'show', 'table'],
      ['-n', `${ns.name}-missing`, 'route', 'show'], ['-n', ns.name, 'nexthop', 'show', 'id', '999']]) {
      const run = nlrx(...args);
      expect(run.status, args.join(' ')).not.toBe(0);
      expect(run.stderr.length, args.join(' ')).toBeGreaterThan(0);
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });
});
