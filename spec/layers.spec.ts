/**
 * The house has one-way floors: lib/'s modules import only their own floor or
 * the floors below (transport < codec < rx < families < live < client <
 * ui / cli / testing < the entries — DESIGN.md's order: the codec reads the
 * transport's batches), and no module reaches itself again through its
 * imports. Type-only imports count too: they tie the files together all the
 * same (transport/native.ts ↔ netlink-socket.ts was such a cycle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const lib = fileURLToPath(new URL('../lib/', import.meta.url));

/** Each folder of lib/ (or top-level file) and its floor, lowest first. */
const floors: Record<string, number> = {
  'errors.ts': 0,
  transport: 1,
  codec: 2,
  rx: 3,
  route: 4, // families: one folder per protocol
  sockdiag: 4,
  genl: 4,
  netfilter: 4,
  ethtool: 4, // the ethtool ioctl: what the genl family lacks
  live: 5,
  client: 6,
  ui: 7,
  cli: 7,
  testing: 7,
  fleet: 7, // above live, beside ui (it implements ui's LiveSource seam); the cli uses it
};
/** The entries (lib/index.ts, constants.ts, codec.ts and their .cts faces) stand above everything. */
const ENTRY_FLOOR = 8;

function floorOf(module: string): number {
  const head = module.split('/')[0];
  if (!module.includes('/')) return floors[module] ?? ENTRY_FLOOR;
  const floor = floors[head];
  if (floor === undefined) throw new Error(`lib/${head}/ has no floor in spec/layers.spec.ts: give it one`);
  return floor;
}

function modules(dir = lib): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return /\.c?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative(lib, path)] : [];
  });
}

/** The lib modules `module` imports or re-exports (static, dynamic and type-only), relative to lib/. */
function importsOf(module: string): string[] {
  const text = readFileSync(join(lib, module), 'utf8');
  const found = new Set<string>();
  const pattern = /(?:^|[\s;])(?:import|export)\b[^'";]*?\bfrom\s*['"](\.[^'"]+)['"]|\bimport\s*\(\s*['"](\.[^'"]+)['"]|^import\s+['"](\.[^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    const target = relative(lib, resolve(dirname(join(lib, module)), specifier)).replace(/\.js$/, '.ts');
    found.add(target);
  }
  return [...found];
}

const graph = new Map(modules().map((module) => [module, importsOf(module)]));

/**
 * Cycles known and owed, each to be removed with its fix (the spec fails on
 * an entry that is no longer a cycle, so the list only shrinks). None today:
 * the mutually recursive description types live in codec/family-description.ts.
 */
const knownCycles = new Set<string>([]);

function cyclesOf(edges: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (module: string) => {
    state.set(module, 'open');
    path.push(module);
    for (const next of edges.get(module) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(module, 'done');
  };
  for (const module of [...edges.keys()].sort()) if (!state.has(module)) visit(module);
  return cycles;
}

describe('lib/ imports', () => {
  it('sees the imports it checks (the walker is not blind)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('client/rtnetlink.ts')).toContain('live/watch.ts');
    expect(graph.get('transport/netlink-socket.ts')).toContain('transport/native.ts');
  });

  it('resolve to modules that exist', () => {
    const missing = [...graph].flatMap(([from, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${from} → ${t}`));
    expect(missing).toEqual([]);
  });

  it('never go up a floor (transport < codec < rx < families < live < client < ui/cli/testing < entries)', () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      targets.filter((to) => floorOf(to) > floorOf(from)).map((to) => `${from} → ${to}`));
    expect(upward).toEqual([]);
  });

  it('form no cycle (but the known ones, each still real)', () => {
    const cycles = cyclesOf(graph);
    expect(cycles.filter((cycle) => !knownCycles.has(cycle))).toEqual([]);
    for (const known of knownCycles) expect(cycles, `${known} is gone: take it off knownCycles`).toContain(known);
  });

  it('finds a cycle when there is one (the detector is not blind)', () => {
    const edges = new Map(graph);
    edges.set('transport/native.ts', [...graph.get('transport/native.ts')!, 'transport/netlink-socket.ts']);
    const found = cyclesOf(edges).filter((cycle) => cycle.split(' → ').length === 3);
    expect(found.some((cycle) => cycle.includes('transport/native.ts') && cycle.includes('transport/netlink-socket.ts'))).toBe(true);
  });
});
