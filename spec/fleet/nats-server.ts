/**
 * A throw-away JetStream server for the fleet specs: Debian's nats-server on
 * 127.0.0.1, a free port and a temporary store directory; restartable on the
 * same port and store; killed (and its store removed) by `stop()`, and when
 * the process exits should a spec die first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `nats-server` is installed (.ci/run installs it). */
export const hasNatsServer = spawnSync('nats-server', ['--version']).status === 0;

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface NatsServer {
  readonly url: string;
  /** Kills the server (SIGKILL: no goodbye to clients) and starts it again on the same port and store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * startNatsServer starts `nats-server -js` and resolves once it accepts clients.
 *
 * @example
 * const nats = await startNatsServer();
 * try { … nats.url … } finally { await nats.stop(); }
 */
export async function startNatsServer(): Promise<NatsServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'nlrx-nats-'));
  let child: ChildProcess | undefined;

  const launch = (): Promise<void> => new Promise((resolve, reject) => {
    const proc = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store, '--http_port', '0'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    running.add(proc);
    let log = '';
    const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 20_000);
    proc.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server is ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      running.delete(proc);
      clearTimeout(timer);
      reject(new Error(`nats-server exited (${code}):\n${log}`));
    });
  });

  const kill = (): Promise<void> => new Promise((resolve) => {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });

  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(store, { recursive: true, force: true });
    },
  };
}
