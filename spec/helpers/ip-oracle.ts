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
 * that ticks); when the outputs still differ — a value that changed between
 * the two runs, such as a neighbour's `used` seconds — both run again, a
 * few times, before the spec compares them.
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
    if (ip.stdout === nlrx.stdout && ip.stderr === nlrx.stderr && ip.status === nlrx.status) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  return { ip, nlrx };
}
