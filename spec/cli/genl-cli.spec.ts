/**
 * Oracle spec for `nlrx genl ctrl`: in a throw-away namespace, `nlrx -n NS
 * genl ctrl list` prints exactly what `ip netns exec NS genl ctrl list`
 * prints, `get` the same family, and `-j` the same families as JSON.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function run(command: string, args: string[]) {
  const out = spawnSync(command, args, { encoding: 'utf8' });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe.skipIf(!isRoot)('nlrx genl ctrl beside genl ctrl', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('genl');
  });
  afterAll(() => ns?.remove());

  it('lists the families as genl ctrl list does, byte for byte', () => {
    const theirs = run('ip', ['netns', 'exec', ns.name, 'genl', 'ctrl', 'list']);
    const ours = run(process.execPath, [MAIN, '-n', ns.name, 'genl', 'ctrl', 'list']);
    expect(theirs.status).toBe(0);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    expect(ours.stdout.split('\n').filter((l) => l.startsWith('Name: ')).length).toBeGreaterThan(3);
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it('gets one family by name and by id as genl ctrl get does', () => {
    for (const args of [['name', 'nlctrl'], ['id', '0x10'], ['name', 'ethtool']]) {
      const theirs = run('ip', ['netns', 'exec', ns.name, 'genl', 'ctrl', 'get', ...args]);
      if (theirs.status !== 0) continue; // a kernel without the family (ethtool is built in here)
      const ours = run(process.execPath, [MAIN, '-n', ns.name, 'genl', 'ctrl', 'get', ...args]);
      expect(ours.stdout).toBe(theirs.stdout);
    }
  });

  it('prints the same families as JSON with -j, capabilities by name', () => {
    const families = JSON.parse(run(process.execPath, [MAIN, '-n', ns.name, '-j', 'genl', 'ctrl', 'list']).stdout);
    const names = run('ip', ['netns', 'exec', ns.name, 'genl', 'ctrl', 'list']).stdout
      .split('\n').filter((l) => l.startsWith('Name: ')).map((l) => l.slice(6));
    expect(families.map((f: { name: string }) => f.name)).toEqual(names);
    const nlctrl = families.find((f: { name: string }) => f.name === 'nlctrl');
    expect(nlctrl).toMatchObject({ id: 0x10, mcast_groups: [{ name: 'notify', id: 0x10 }] });
    expect(nlctrl.ops.find((op: { id: number }) => op.id === 3).capabilities).toEqual(['do', 'dump', 'policy']);
  });

  it('fails a family that does not exist with a message and exit 1', () => {
    const ours = run(process.execPath, [MAIN, '-n', ns.name, 'genl', 'ctrl', 'get', 'name', 'no-such-family']);
    expect(ours.status).toBe(1);
    expect(ours.stderr).toMatch(/no-such-family/);
  });
});
