/**
 * ip as the oracle of a command form: runs `ip -n NS …` and `nlrx -n NS …`
 * with the same words and gives both results (stdout, stderr, exit status),
 * for table-driven specs that compare all three.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Netns } from './netns.js';

/** What one command printed and how it exited. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function run(command: string, args: readonly string[]): CommandResult {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/**
 * againstIp runs `args` through ip and through nlrx (the built dist) in `ns`.
 * `normalize` rewrites what is expected to differ between two runs (a time
 * that ticks). When the outputs still differ, ip runs once more: a value
 * that moves on its own (a neighbour's `used` seconds) may have ticked
 * while nlrx started, so nlrx must then print what ip prints either just
 * before or just after it; failing that, all of it runs again, a few times,
 * before the spec compares.
 *
 * @example
 * const { ip, nlrx } = againstIp(ns, ['-j', 'rule', 'show']);
 * expect(nlrx).toEqual(ip);
 */
export function againstIp(ns: Netns, args: readonly string[], normalize: (text: string) => string = (t) => t,
  attempts = 5): { ip: CommandResult; nlrx: CommandResult } {
  let ip: CommandResult = { stdout: '', stderr: '', status: null };
  let nlrx = ip;
  for (let i = 0; i < attempts; i++) {
    ip = run('ip', ['-n', ns.name, ...args]);
    nlrx = run(process.execPath, [MAIN, '-n', ns.name, ...args]);
    ip = { ...ip, stdout: normalize(ip.stdout) };
    nlrx = { ...nlrx, stdout: normalize(nlrx.stdout) };
    const same = (a: CommandResult) => a.stdout === nlrx.stdout && a.stderr === nlrx.stderr && a.status === nlrx.status;
    if (same(ip)) break;
    const after = run('ip', ['-n', ns.name, ...args]);
    const ipAfter = { ...after, stdout: normalize(after.stdout) };
    if (same(ipAfter)) return { ip: ipAfter, nlrx };
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  return { ip, nlrx };
}

/** What a form expects of ip besides nlrx printing the same: lines, nothing (or `[]`), or an error. */
export type FormOutcome = 'lines' | 'empty' | 'error';

/**
 * expectOutcome checks that ip's run is what a form's row says: lines (exit
 * 0), nothing but an empty JSON array (exit 0), or an error (a message, a
 * non-zero exit) — so a fixture that stops giving a form something to show
 * fails the row instead of passing on two empty outputs.
 *
 * @example
 * const { ip, nlrx } = againstIp(ns, ['rule', 'show']);
 * expect(nlrx).toEqual(ip);
 * expectOutcome(ip, 'lines');
 */
export function expectOutcome(ip: CommandResult, outcome: FormOutcome): void {
  if (outcome === 'lines') expect(ip.stdout.length, 'the fixture gives this form something to print').toBeGreaterThan(0);
  if (outcome !== 'error') expect(ip.status).toBe(0);
  if (outcome === 'empty') expect(ip.stdout.replace(/^\[\]\n$/, '')).toBe('');
  if (outcome === 'error') {
    expect(ip.status).not.toBe(0);
    expect(ip.stderr.length).toBeGreaterThan(0);
  }
}
