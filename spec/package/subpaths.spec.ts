/**
 * The package's entries as a consumer reaches them: the root and the
 * `constants`, `codec`, `ui` and `testing` subpaths, from ESM, from CommonJS
 * and from TypeScript (`module` node16, nodenext and bundler, ES modules and
 * CommonJS files), against the built package linked into a throw-away
 * consumer project. Also what the root is: at most ~150 names, no internals,
 * and an import that loads neither `ws` nor the dashboard page.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { require: { types: string; default: string }; default: { types: string; default: string } }>;
};
const subpaths = Object.keys(manifest.exports).filter((key) => key !== './package.json');
const specifier = (subpath: string) => (subpath === '.' ? 'netlink-rx' : `netlink-rx/${subpath.slice(2)}`);

function node(args: string[], cwd: string) {
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
}

/** Every name (value or type) a lib module exports, by the TypeScript checker. */
function exportedNames(module: string): string[] {
  const file = join(repo, 'lib', module);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, types: ['node'],
  });
  const symbol = program.getTypeChecker().getSymbolAtLocation(program.getSourceFile(file)!);
  return program.getTypeChecker().getExportsOfModule(symbol!).map((s) => s.name).sort();
}

let consumer: string;

beforeAll(() => {
  const built = spawnSync('npm', ['run', 'build:ts'], { cwd: repo, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  consumer = mkdtempSync(join(tmpdir(), 'nlrx-subpaths-'));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(repo, join(consumer, 'node_modules/netlink-rx'), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'subpaths-consumer', private: true }));
}, 180_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe('the root export', () => {
  const names = exportedNames('index.ts');

  it('is what an application uses: at most 150 names, the clients, dumps, operators, live tables and errors among them', () => {
    console.log(`root export: ${names.length} names`);
    expect(names.length).toBeLessThanOrEqual(150);
    for (const name of [
      'rtnetlink', 'dump', 'dumpBatches', 'iterateDump', 'forEachDumpBatch', 'splitBatch', 'snapshot', 'retryInterrupted',
      'watch', 'table', 'monitor', 'NetlinkError', 'NetlinkKernelError', 'Route', 'RouteFilter', 'Transport', 'NetlinkSocket',
    ]) expect(names, name).toContain(name);
  });

  it('holds no kernel constants and no internals', () => {
    // Selector functions (camelCase: linkSelector …) are internals; the DumpSelector type is public.
    const internal = /^(decode\w*Request|[a-z]\w*Selector|match[A-Z]\w*|nextSequence|LiveTable|FlushDetector|StormMeter|runningLiveTables|dumpPool|liveTable|DumpReader|loadNative|[A-Z][A-Z0-9_]+)$/;
    expect(names.filter((name) => internal.test(name))).toEqual([]);
  });

  it('loads neither ws nor the dashboard page; netlink-rx/ui loads both (the probe sees them)', () => {
    // A resolve hook in Node's loader thread reports every module URL resolved.
    writeFileSync(join(consumer, 'hooks.mjs'), [
      'let port;',
      'export function initialize(data) { port = data.port; }',
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context);',
      '  port.postMessage(result.url);',
      '  return result;',
      '}',
    ].join('\n'));
    writeFileSync(join(consumer, 'probe.mjs'), [
      "import { register } from 'node:module';",
      "import { MessageChannel } from 'node:worker_threads';",
      'const { port1, port2 } = new MessageChannel();',
      'const urls = [];',
      'port1.on("message", (url) => urls.push(url));',
      'port1.unref();',
      "register('./hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });",
      'await import(process.argv[2]);',
      'await new Promise((resolve) => setTimeout(resolve, 200));',
      'const cjs = Object.keys((await import("node:module")).createRequire(import.meta.url).cache);',
      'console.log(JSON.stringify([...urls, ...cjs]));',
    ].join('\n'));
    const loaded = (entry: string): string[] => {
      const result = node(['probe.mjs', entry], consumer);
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as string[];
    };
    const usesWs = (urls: string[]) => urls.some((url) => /\/node_modules\/ws\//.test(url));
    const usesPage = (urls: string[]) => urls.some((url) => url.endsWith('/dist/ui/dashboard-page.js'));

    const root = loaded('netlink-rx');
    expect(root.some((url) => url.endsWith('/dist/index.js'))).toBe(true);
    expect(usesWs(root)).toBe(false);
    expect(usesPage(root)).toBe(false);
    const ui = loaded('netlink-rx/ui');
    expect(usesWs(ui)).toBe(true);
    expect(usesPage(ui)).toBe(true);
  });
});

describe('netlink-rx/constants', () => {
  it('holds the kernel constants and nothing else', () => {
    const names = exportedNames('constants.ts');
    expect(names.filter((name) => !/^[A-Z][A-Z0-9_]*$/.test(name))).toEqual([]);
    for (const name of ['RTM_GETROUTE', 'NLM_F_DUMP', 'IFLA_IFNAME', 'AF_INET6', 'NLMSG_DONE', 'RTA_DST']) expect(names).toContain(name);
  });
});

describe('the generated entries', () => {
  it('are up to date with lib/ (constants.ts, codec.ts, the *.cts declarations): `node scripts/surface.mjs --check`', () => {
    const result = node([join(repo, 'scripts/surface.mjs'), '--check'], repo);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe.each(subpaths)('subpath %s', (subpath) => {
  it('has types for import and for require, and the same values from ESM and CommonJS', () => {
    const target = manifest.exports[subpath];
    expect(typeof target).toBe('object');
    if (typeof target !== 'object') return;
    expect(target.require.types).toMatch(/\.d\.cts$/);
    expect(target.default.types).toMatch(/\.d\.ts$/);
    const esm = node(['--input-type=module', '-e',
      `console.log(JSON.stringify(Object.keys(await import('${specifier(subpath)}')).sort()))`], consumer);
    expect(esm.stderr).toBe('');
    const cjs = node(['-e', `console.log(JSON.stringify(Object.keys(require('${specifier(subpath)}')).filter((k) => k !== '__esModule' && k !== 'module.exports').sort()))`], consumer);
    expect(cjs.stderr).toBe(''); // no ERR_REQUIRE_ESM, no warning
    const names = JSON.parse(esm.stdout) as string[];
    expect(names.length).toBeGreaterThan(0);
    expect(JSON.parse(cjs.stdout)).toEqual(names);
  });
});

/** One consumer file importing a value and a type from every entry, and using them. */
const consumerSource = `
import { rtnetlink, routes, NetlinkError, type Route, type Transport } from 'netlink-rx';
import { RTM_GETROUTE, NLM_F_DUMP } from 'netlink-rx/constants';
import { AttributeCursor, readHeader, type NetlinkMessage } from 'netlink-rx/codec';
import { liveStreams, type LiveStreamsOptions } from 'netlink-rx/ui';
import { FakeKernel, fakeKernels, routeDump, type Script } from 'netlink-rx/testing';

export const flags: number = RTM_GETROUTE | NLM_F_DUMP;
export const isNetlinkError = (error: unknown): boolean => error instanceof NetlinkError;
export const kernel: Transport = new FakeKernel();
export const script: Script = routeDump(3);
export const dsts = routes({}, { transport: fakeKernels(script).factory });
export const header = (data: Buffer): NetlinkMessage => readHeader(data, 0);
export const cursor = (data: Buffer) => new AttributeCursor(data, 0, data.length, ['test']);
export const options: Partial<LiveStreamsOptions> = {};
export const client = rtnetlink;
export const streams = liveStreams;
export let last: Route | undefined;
// @ts-expect-error real declarations, not any: the protocol is a number
new FakeKernel('not a script');
`;

describe('TypeScript consumers type-check against the declarations (skipLibCheck off)', () => {
  // ES module and CommonJS files of one mode share a project: one tsc run per mode.
  const modes = [
    { name: 'node16 (an ES module and a CommonJS file)', module: 'node16', resolution: 'node16', files: ['consumer.mts', 'consumer.cts'] },
    { name: 'nodenext (an ES module and a CommonJS file)', module: 'nodenext', resolution: 'nodenext', files: ['consumer.mts', 'consumer.cts'] },
    { name: 'esnext with moduleResolution bundler', module: 'esnext', resolution: 'bundler', files: ['consumer.ts'] },
  ];

  it.each(modes)('module $name', ({ module, resolution, files }) => {
    const dir = join(consumer, `ts-${module}`);
    mkdirSync(dir);
    symlinkSync(join(consumer, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const file of files) writeFileSync(join(dir, file), consumerSource);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module, moduleResolution: resolution, strict: true, noEmit: true, skipLibCheck: false,
        types: ['node'], typeRoots: [join(repo, 'node_modules/@types')],
      },
      files,
    }));
    const result = node([tsc, '-p', 'tsconfig.json'], dir);
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
