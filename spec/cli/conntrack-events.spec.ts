/**
 * `nlrx conntrack -E` beside conntrack-tools' `conntrack -E`, both listening
 * in a throw-away namespace while entries are created, updated and deleted
 * with `conntrack -I/-U/-D`: the same events, in the same order, printed the
 * same way — but for the name of the process that caused them, which
 * conntrack-tools finds in /proc when it can (left out here).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Starts a listener; `lines(match, n)` resolves once it printed n lines containing `match` (or fails after 20 s). */
function listen(command: string, args: string[]): { child: ChildProcess; lines: (match: string, n: number) => Promise<string[]> } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const lines = (match: string, n: number) => new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command}: ${n} lines with ${match} not printed; got:\n${out}`)), 20_000);
    const check = () => {
      const got = out.split('\n').filter((line) => line.includes(match));
      if (got.length < n) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve(got);
    };
    child.stdout!.on('data', check);
    check();
  });
  return { child, lines };
}

describe.skipIf(!isRoot)('nlrx conntrack -E beside conntrack -E', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('ct-events');
  });
  afterAll(() => ns?.remove());

  it('prints NEW, UPDATE and DESTROY events as conntrack -E does', async () => {
    const theirs = listen('ip', ['netns', 'exec', ns.name, 'conntrack', '-E']);
    const ours = listen(process.execPath, [MAIN, '-n', ns.name, 'conntrack', '-E']);
    try {
      // Both listening once each has printed the event of a warm-up entry (made again until they have).
      const ct = (...args: string[]) => spawnSync('ip', ['netns', 'exec', ns.name, 'conntrack', ...args], { encoding: 'utf8' });
      const warm = Promise.all([theirs.lines('10.9.9.9', 1), ours.lines('10.9.9.9', 1)]);
      let warmed = false;
      void warm.then(() => (warmed = true), () => undefined);
      for (let i = 0; i < 100 && !warmed; i++) {
        ct('-I', '-p', 'udp', '-s', '10.9.9.9', '-d', '10.9.9.8', '--sport', '1', '--dport', String(1000 + i), '-t', '30');
        await new Promise((r) => setTimeout(r, 100));
      }
      await warm;
      const flow = ['-p', 'tcp', '-s', '10.0.0.1', '-d', '10.0.0.2', '--sport', '1', '--dport', '2'];
      expect(ct('-I', ...flow, '--state', 'SYN_SENT', '-t', '50').status).toBe(0);
      expect(ct('-U', ...flow, '-m', '5').status).toBe(0);
      expect(ct('-D', ...flow).status).toBe(0);
      const noName = (line: string) => line.replace(/ progname=\S+$/, '').replace(/^(\s*\[\w+\] \w+ +\d+ )\d+ /, '$1T ');
      const a = (await theirs.lines('src=10.0.0.1 ', 3)).map(noName);
      const b = (await ours.lines('src=10.0.0.1 ', 3)).map(noName);
      expect(b.map((l) => l.replace(/portid=\d+/, 'portid=P'))).toEqual(a.map((l) => l.replace(/portid=\d+/, 'portid=P')));
      expect(b[0]).toMatch(/^ {4}\[NEW\] tcp {6}6 /);
      expect(b[2]).toMatch(/^\[DESTROY\] /);
    } finally {
      theirs.child.kill();
      ours.child.kill();
    }
  });
});
