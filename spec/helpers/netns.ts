/**
 * Throw-away network namespaces for integration specs. Every namespace has a
 * unique `nlrx-test-` name, and is deleted by `remove()` — and, should a spec
 * die first, when the process exits. Nothing touches the host's namespace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Integration specs need root (to create namespaces); without it they are skipped with this reason. */
export const isRoot = process.getuid?.() === 0;
export const skipReason = 'integration specs create network namespaces and need root: run them as root';
// CI (.ci/run) sets NLRX_REQUIRE_KERNEL: there a skipped real-kernel spec would be a silent pass.
if (!isRoot && process.env.NLRX_REQUIRE_KERNEL) throw new Error(`NLRX_REQUIRE_KERNEL is set but ${skipReason}`);
if (!isRoot) console.warn(`SKIPPED: ${skipReason}`);

const live = new Set<string>();
process.on('exit', () => {
  for (const name of live) spawnSync('ip', ['netns', 'delete', name]);
});

export interface Netns {
  readonly name: string;
  /** `ip -n <name> …args`; returns stdout, throws with stderr on failure. */
  ip(...args: string[]): string;
  /** `ip -n <name> -j …args`, parsed. */
  ipJson<T = unknown>(...args: string[]): T;
  /** Runs `ip -n <name> -batch` over the given lines (fast bulk fixtures). */
  batch(lines: readonly string[]): void;
  /** Runs a command inside the namespace (`ip netns exec`). */
  exec(command: string, ...args: string[]): string;
  remove(): void;
}

/**
 * createNetns makes a namespace with `lo` up.
 *
 * @example
 * const ns = createNetns();
 * ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
 * afterAll(() => ns.remove());
 */
export function createNetns(tag = 'ns'): Netns {
  const name = `nlrx-test-${tag}-${process.pid}-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(name);
  const run = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const ns: Netns = {
    name,
    ip: (...args) => run('ip', ['-n', name, ...args]),
    ipJson: <T>(...args: string[]) => JSON.parse(run('ip', ['-n', name, '-j', ...args]) || '[]') as T,
    batch(lines) {
      const dir = mkdtempSync(join(tmpdir(), 'nlrx-batch-'));
      try {
        const file = join(dir, 'batch');
        writeFileSync(file, `${lines.join('\n')}\n`);
        run('ip', ['-n', name, '-batch', file]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    exec: (command, ...args) => run('ip', ['netns', 'exec', name, command, ...args]),
    remove() {
      if (!live.has(name)) return;
      spawnSync('ip', ['netns', 'delete', name]);
      live.delete(name);
    },
  };
  ns.ip('link', 'set', 'lo', 'up');
  return ns;
}

/**
 * addRoutes adds `count` IPv4 /32 routes through `dev` (10.x.y.z), in one batch.
 *
 * @example
 * addRoutes(ns, 'v0', 100_000);
 */
export function addRoutes(ns: Netns, dev: string, count: number, table = 'main'): void {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(`route add 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 dev ${dev} table ${table}`);
  }
  ns.batch(lines);
}

/** openFds counts this process's open file descriptors. */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}
