/**
 * ip as the oracle of a command form: runs `ip -n NS …` and `nlrx -n NS …`
 * with the same words and gives both results (stdout, stderr, exit status),
 * for table-driven specs that compare all three.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
