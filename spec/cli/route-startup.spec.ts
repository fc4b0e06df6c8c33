/**
 * `nlrx route show` starts fast because it loads neither RxJS nor the rest of
 * the library: it runs the dump with forEachDumpBatch. This spec checks what
 * the process loaded (a fact, not a timing); the time itself is the
 * benchmark's business (10k-route namespace in bench/RESULTS.md).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * Runs main.js with `args` in this Node, and reports on exit which modules it
 * loaded: CommonJS ones from require.cache (RxJS is CommonJS under Node), ES
 * modules of dist/ through a resolve hook.
 */
const PROBE = `
import { createRequire, register } from 'node:module';
const require = createRequire(import.meta.url);
const loaded = [];
process.on('exit', () => {
  process.stderr.write('\\nLOADED ' + JSON.stringify([...Object.keys(require.cache), ...loaded]) + '\\n');
});
globalThis.__loaded = loaded;
const main = process.env.PROBE_MAIN;
const { pathToFileURL } = await import('node:url');
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("ESM " + r.url + "\\\\n"); return r; }'));
process.argv = [process.argv[0], main, ...JSON.parse(process.env.PROBE_ARGS)];
await import(pathToFileURL(main).href);
`;

function probe(args: string[]) {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
    encoding: 'utf8', env: { ...process.env, PROBE_MAIN: MAIN, PROBE_ARGS: JSON.stringify(args) },
  });
  const cjs = JSON.parse(/LOADED (.*)/.exec(run.stderr)?.[1] ?? '[]') as string[];
  const esm = [...run.stderr.matchAll(/^ESM (.*)$/gm)].map((m) => m[1]);
  return { status: run.status, stdout: run.stdout, modules: [...cjs, ...esm] };
}

describe.skipIf(!isRoot)('nlrx route show: start-up', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('startup');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('route', 'add', '10.9.0.0/16', 'dev', 'v0');
  });
  afterAll(() => ns?.remove());

  it('loads no RxJS and none of the library beyond the dump, the route decoder and the formatter', () => {
    const run = probe(['-n', ns.name, 'route', 'show']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('10.9.0.0/16 dev v0');
    expect(run.modules.some((m) => m.includes('/dist/cli/commands/route.js'))).toBe(true); // the probe sees ES modules
    expect(run.modules.filter((m) => m.includes('/node_modules/rxjs/'))).toEqual([]);
    expect(run.modules.filter((m) => /\/dist\/(index|live|ui)\b/.test(m) || m.endsWith('/dist/route/route.js'))).toEqual([]);
  });

  it('still loads RxJS where a command uses Observables (the probe can fail)', () => {
    const run = probe(['-n', ns.name, 'addr', 'show']);
    expect(run.status).toBe(0);
    expect(run.modules.some((m) => m.includes('/node_modules/rxjs/'))).toBe(true);
  });
});
