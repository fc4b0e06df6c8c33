/**
 * `nlrx route show` starts fast because it loads neither RxJS nor the rest of
 * the library: it runs the dump with forEachDumpBatch. This spec checks what
 * the process loaded (a fact, not a timing); the time itself is the
 * benchmark's business (10k-route namespace in bench/RESULTS.md).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { probe, rxjsModules } from './startup-probe.js';

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
    expect(rxjsModules(run.modules)).toEqual([]);
    expect(run.modules.filter((m) => /\/dist\/(index|live|ui)\b/.test(m) || m.endsWith('/dist/route/route.js'))).toEqual([]);
  });

  it('still sees RxJS where a module uses Observables (the probe can fail)', () => {
    // routes(), the Observable form, imported the way main.js imports a command.
    const run = probe([], fileURLToPath(new URL('../../dist/route/route.js', import.meta.url)));
    expect(run.status).toBe(0);
    expect(rxjsModules(run.modules)).not.toEqual([]);
  });
});
