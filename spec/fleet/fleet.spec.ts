/**
 * The fleet against a real `nats-server -js` (started here on loopback, a
 * free port, a temporary store): three namespaces are three hosts, each
 * with an `nlrx publish` child process. What `nlrx fleet -j` prints for a
 * host — read from NATS alone — must equal `ip -j` in that namespace, after
 * churn, after a publisher is SIGKILLed mid-churn and restarted, and after
 * the server itself is killed and restarted; a host whose publisher dies is
 * shown as gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFleet, type FleetConnection } from '../../lib/fleet/fleet-connection.js';
import { fleetSource, type FleetRow } from '../../lib/fleet/fleet-source.js';
import { createNetns, isRoot, skipReason, type Netns } from '../helpers/netns.js';
import { batchAsync, eventually, sleep } from '../live/live-fixtures.js';
import { ensureBuilt, root, runNlrx, startServe } from '../ui/serve-process.js';
import { sseClient, waitFor } from '../ui/stream-client.js';
import { hasNatsServer, startNatsServer, type NatsServer } from './nats-server.js';
import { join } from 'node:path';

const main = join(root, 'dist', 'cli', 'main.js');
const HEARTBEAT_MS = 1000;
const TABLES = [['route', ['route', 'show', 'table', 'all']], ['link', ['link', 'show']], ['neigh', ['neigh', 'show']]] as const;
if (!hasNatsServer && process.env.NLRX_REQUIRE_KERNEL) throw new Error('nats-server is not installed (.ci/run installs it)');
const enabled = isRoot && hasNatsServer;
if (!enabled) console.warn(`SKIPPED: ${isRoot ? 'nats-server is not installed (apt-get install nats-server)' : skipReason}`);

interface Publisher {
  readonly child: ChildProcess;
  out(): string;
  readonly exited: Promise<void>;
}

const children = new Set<ChildProcess>();

function publish(url: string, ns: Netns, host: string): Publisher {
  const child = spawn(process.execPath, [main, '-n', ns.name, 'publish', '--nats', url, '--host', host,
    '--heartbeat', String(HEARTBEAT_MS), 'route', 'link', 'neigh'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    children.delete(child);
    resolve();
  }));
  return { child, out: () => out, exited };
}

async function kill(p: Publisher, signal: NodeJS.Signals): Promise<void> {
  p.child.kill(signal);
  await p.exited;
}

/** `nlrx fleet -j TABLE`, by host: each line without its host, sorted. */
async function fleetView(url: string, table: string): Promise<{ hosts: Map<string, string[]>; stderr: string }> {
  const { code, stdout, stderr } = await runNlrx(['fleet', '--nats', url, '-j', table]);
  expect(code, stderr).toBe(0);
  const hosts = new Map<string, string[]>();
  for (const line of stdout.split('\n').filter((l) => l !== '')) {
    const { host, ...row } = JSON.parse(line) as { host: string };
    hosts.set(host, [...(hosts.get(host) ?? []), JSON.stringify(row)]);
  }
  for (const list of hosts.values()) list.sort();
  return { hosts, stderr };
}

/** `ip -j …` in the namespace, each object as text, sorted. */
function ipView(ns: Netns, args: readonly string[]): string[] {
  return ns.ipJson<object[]>(...args).map((o) => JSON.stringify(o)).sort();
}

/** The hosts (of `names`) whose fleet rows differ from `ip -j`, for every table; empty once converged. */
async function differences(url: string, hosts: ReadonlyMap<string, Netns>): Promise<string[]> {
  const wrong: string[] = [];
  for (const [table, args] of TABLES) {
    const { hosts: seen } = await fleetView(url, table);
    for (const [host, ns] of hosts) {
      const want = ipView(ns, args);
      const got = seen.get(host) ?? [];
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const g = got.filter((x) => !want.includes(x))[0];
        const w = want.filter((x) => !got.includes(x))[0];
        wrong.push(`${host} ${table}: fleet ${got.length} rows, ip ${want.length}; fleet has ${g?.slice(0, 400)} where ip has ${w?.slice(0, 400)}`);
      }
    }
  }
  return wrong;
}

/** Routes, neighbours and links changing at once in a namespace. */
function churn(ns: Netns, round: number, count: number): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`route add 10.${100 + round}.${i >> 8}.${i & 255}/32 dev va`);
  for (let i = 0; i < count; i += 3) lines.push(`route del 10.${100 + round}.${i >> 8}.${i & 255}/32 dev va`);
  for (let i = 1; i <= 20; i++) lines.push(`neigh replace 10.77.${round}.${i} lladdr 02:00:00:00:${round.toString(16).padStart(2, '0')}:${i.toString(16).padStart(2, '0')} dev va nud permanent`);
  // Not a veth pair: the kernel announces the first end with IFLA_LINK 0 and never
  // tells when its peer appears, so a live table (and ip monitor) keeps 0 until a re-dump.
  lines.push(`link set vb mtu ${1400 + round}`, `link add br${round} type bridge`, `link set br${round} up`);
  return batchAsync(ns, lines);
}

describe.skipIf(!enabled)('a fleet of three namespaces through nats-server', () => {
  let nats: NatsServer;
  const namespaces = new Map<string, Netns>();
  const publishers = new Map<string, Publisher>();
  let consumer: FleetConnection;
  let watching: Subscription;
  /** The test's own live view (fleetSource), by host: route rows. */
  const liveRoutes = new Map<string, FleetRow>();

  beforeAll(async () => {
    ensureBuilt();
    nats = await startNatsServer();
    for (const host of ['alpha', 'beta.example', 'gamma 3']) {
      const ns = createNetns('fleet');
      ns.batch(['link add va type veth peer name vb', `address add 10.${namespaces.size + 1}.0.1/24 dev va`,
        'link set va up', 'link set vb up']);
      namespaces.set(host, ns);
      publishers.set(host, publish(nats.url, ns, host));
    }
    consumer = await connectFleet({ servers: nats.url });
    watching = fleetSource(consumer)({ kind: 'routes' }).subscribe((e) => {
      if (e.type === 'add' || e.type === 'change') liveRoutes.set(e.key, e.value as FleetRow);
      else if (e.type === 'remove') liveRoutes.delete(e.key);
    });
  }, 60_000);

  afterAll(async () => {
    watching?.unsubscribe();
    await consumer?.close();
    for (const child of children) child.kill('SIGKILL');
    await sleep(100);
    await nats?.stop();
    for (const ns of namespaces.values()) ns.remove();
  }, 30_000);

  const routesOf = (host: string): number => [...liveRoutes.values()].filter((r) => r.host === host).length;
  const ipRoutes = (ns: Netns): number => ns.ipJson<object[]>('route', 'show', 'table', 'all').length;

  it('shows every host\'s routes, links and neighbours as ip -j does there, after churn on each', async () => {
    await Promise.all([...namespaces.values()].map((ns, i) => churn(ns, i, 300)));
    await eventually(() => differences(nats.url, namespaces), (wrong) => wrong.length === 0, 30_000);
    // The live view (fleetSource, as the dashboard gets it) holds the same rows.
    for (const [host, ns] of namespaces) expect(routesOf(host), host).toBe(ipRoutes(ns));
  }, 90_000);

  it('a publisher SIGKILLed mid-churn and restarted converges; restarted again, it writes nothing', async () => {
    const host = 'alpha';
    const ns = namespaces.get(host)!;
    const changing = churn(ns, 10, 1000);
    await sleep(50);
    await kill(publishers.get(host)!, 'SIGKILL');
    await changing;
    publishers.set(host, publish(nats.url, ns, host));
    await eventually(() => differences(nats.url, namespaces), (wrong) => wrong.length === 0, 30_000);

    await kill(publishers.get(host)!, 'SIGKILL');
    const again = publish(nats.url, ns, host);
    publishers.set(host, again);
    const line = await eventually(() => /routes: (\d+) rows in sync \((\d+) written, (\d+) deleted\)/.exec(again.out()), (m) => m !== null);
    expect(Number(line![1])).toBe(ipRoutes(ns));
    // The bucket already held every route: a restart writes the difference, here none.
    expect([Number(line![2]), Number(line![3])]).toEqual([0, 0]);
  }, 90_000);

  it('converges after nats-server is killed and restarted mid-churn (publishers and consumers reconnect)', async () => {
    const changing = Promise.all([...namespaces.values()].map((ns, i) => churn(ns, 20 + i, 500)));
    await nats.restart();
    await changing;
    await Promise.all([...namespaces.values()].map((ns, i) => batchAsync(ns, [`route add 10.99.${i}.0/24 dev va`])));
    // A write or a watch lost in the restart is given up after its timeout and retried.
    await eventually(() => differences(nats.url, namespaces), (wrong) => wrong.length === 0, 90_000);
    await eventually(() => [...namespaces].map(([host, ns]) => routesOf(host) - ipRoutes(ns)), (d) => d.every((x) => x === 0), 60_000);
  }, 240_000);

  it('nlrx serve --nats: the fleet dashboard (host column) and its streams, every host\'s rows with their host, from NATS alone', async () => {
    const serve = await startServe(['--nats', nats.url, '--port', '0']);
    try {
      expect(serve.stdout()).toContain(`Serving the fleet at ${nats.url}`);
      const page = await (await fetch(`${serve.url}`)).text();
      expect(page).toContain('&#34;fleet&#34;:true');
      const client = sseClient(`${serve.url}live/routes`);
      expect(await client.ready).toBe(200);
      await waitFor(() => client.mirror.synced > 0, 'the fleet routes stream synced');
      const hosts = [...client.mirror.rows.values()].map((row) => (row as { host: string }).host);
      for (const [host, ns] of namespaces) expect(hosts.filter((h) => h === host).length, host).toBe(ipRoutes(ns));
      client.close();
    } finally {
      await serve.stop();
    }
  }, 60_000);

  it('a host whose publisher dies is gone: its rows leave the live view and nlrx fleet names it on stderr', async () => {
    const host = 'gamma 3';
    expect(routesOf(host)).toBeGreaterThan(0);
    await kill(publishers.get(host)!, 'SIGKILL');
    await eventually(() => routesOf(host), (n) => n === 0, 20_000);
    const { hosts, stderr } = await fleetView(nats.url, 'route');
    expect(hosts.has(host)).toBe(false);
    expect(hosts.has('alpha') && hosts.has('beta.example')).toBe(true);
    expect(stderr).toContain('host gamma 3 is gone (silent');

    // A publisher stopped on purpose marks its host gone at once.
    await kill(publishers.get('beta.example')!, 'SIGTERM');
    await eventually(() => routesOf('beta.example'), (n) => n === 0, 10_000);
    expect((await fleetView(nats.url, 'route')).stderr).toContain('host beta.example is gone (stopped');
    // And a host that comes back is shown again.
    publishers.set(host, publish(nats.url, namespaces.get(host)!, host));
    await eventually(() => routesOf(host), (n) => n === ipRoutes(namespaces.get(host)!), 20_000);
  }, 90_000);
});
