/**
 * A process that holds sockets inside a throw-away namespace for the ss
 * oracle specs: started with `ip netns exec`, ready when it first writes to
 * stdout, told things on stdin, stopped (and its scratch folder removed) in
 * `afterAll`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from './netns.js';

export interface SocketHolder {
  readonly process: ChildProcess;
  /** A scratch folder of the holder's (socket files, scripts), removed by `stop()`. */
  readonly dir: string;
  stop(): void;
}

/**
 * startSocketHolder makes a scratch folder, runs `command(dir)` inside `ns`
 * and resolves once the process says it is ready (its first output); it
 * rejects if the process exits first.
 *
 * @example
 * const holder = await startSocketHolder(ns, 'ss', (dir) => [process.execPath, '-e', FIXTURE, dir]);
 * afterAll(() => holder?.stop());
 */
export async function startSocketHolder(ns: Netns, tag: string, command: (dir: string) => string[]): Promise<SocketHolder> {
  const dir = mkdtempSync(join(tmpdir(), `nlrx-${tag}-`));
  const child = spawn('ip', ['netns', 'exec', ns.name, ...command(dir)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const holder: SocketHolder = {
    process: child,
    dir,
    stop() {
      child.stdin?.end();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the socket fixture exited (${code})`)));
    });
  } catch (error) {
    holder.stop();
    throw error;
  }
  return holder;
}
