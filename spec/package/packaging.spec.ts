/**
 * The package as a user gets it: `npm pack`, then `npm install <tarball>` in a
 * fresh project with npm's default script policy (a dependency's install
 * scripts do not run), then import, require, the CLI and the type declarations
 * there, and last the source build with the command the loader names.
 * Everything lives in one temporary directory removed in afterAll.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./consumer/', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');

/**
 * The environment of a user's shell: none of the npm_* variables `npm test`
 * sets (they would carry this checkout's config into the consumer's npm), and
 * no node_modules/.bin of this checkout on PATH (so `npx nlrx` can only find
 * the consumer's own).
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE_ENV') env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes('node_modules')).join(delimiter);
  return { ...env, ...extra };
}

/** Runs a command to its end; the result carries stdout/stderr for the assertion messages. */
function run(command: string, args: string[], cwd: string, extra?: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: userEnv(extra), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 240_000 });
}

function mustRun(command: string, args: string[], cwd: string, extra?: Record<string, string>): string {
  const result = run(command, args, cwd, extra);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** The tarball's files and their sizes, from `tar -tvzf` (what npm really packed). */
function listTarball(tarball: string): Map<string, number> {
  const files = new Map<string, number>();
  for (const line of execFileSync('tar', ['-tvzf', tarball], { encoding: 'utf8' }).trim().split('\n')) {
    // -rw-r--r-- 0/0   303 1985-10-26 08:15 package/addon/addon.cc
    const fields = line.trim().split(/\s+/);
    files.set(fields.slice(5).join(' ').replace(/^package\//, ''), Number(fields[2]));
  }
  return files;
}

/** Every `.ts` module under lib/ (not declarations), relative to lib/. */
function libModules(dir = join(repo, 'lib')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return libModules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative(join(repo, 'lib'), path)] : [];
  });
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

let work: string;
let consumer: string;
let installed: string;
let tarball: string;
let files: Map<string, number>;
/** The clone's package.json before `npm pack` (prepack swaps in the published one, postpack puts it back). */
let cloneManifest: string;
/** What `npm install <tarball>` printed in the fresh project. */
let install: { stdout: string; stderr: string };

/** The published manifest, as the tarball carries it. */
interface Manifest {
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nlrx-pack-'));
  cloneManifest = readFileSync(join(repo, 'package.json'), 'utf8');
  // prepack builds the TypeScript and the prebuilt addon(s), then strips the manifest's scripts.
  mustRun('npm', ['pack', '--pack-destination', work], repo);
  const packed = readdirSync(work).filter((name) => name.endsWith('.tgz'));
  expect(packed).toHaveLength(1);
  tarball = join(work, packed[0]);
  files = listTarball(tarball);

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'),
    JSON.stringify({ name: 'nlrx-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const result = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], consumer);
  if (result.status !== 0) throw new Error(`npm install ${tarball} exited ${result.status ?? result.signal}\n${result.stderr}`);
  install = { stdout: result.stdout, stderr: result.stderr };
  installed = join(consumer, 'node_modules/netlink-rx');
  for (const name of readdirSync(fixtures)) copyFileSync(join(fixtures, name), join(consumer, name));

  const unpacked = [...files.values()].reduce((sum, size) => sum + size, 0);
  console.log(`npm pack: ${packed[0]} ${(statSync(tarball).size / 1024).toFixed(1)} KiB packed, ` +
    `${(unpacked / 1024).toFixed(1)} KiB unpacked, ${files.size} files`);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs the compiled JS and declarations of every lib module, and the nlrx CLI', () => {
    for (const module of libModules()) {
      const base = `dist/${module.replace(/\.ts$/, '')}`;
      expect(files.has(`${base}.js`), `${base}.js`).toBe(true);
      expect(files.has(`${base}.d.ts`), `${base}.d.ts`).toBe(true);
    }
    expect(files.has('dist/cli/main.js')).toBe(true);
  });

  it('packs a prebuilt linux-x64 binary, and linux-arm64 exactly when a cross compiler is installed', () => {
    expect(files.get('prebuilds/linux-x64/netlink_rx.node')).toBeGreaterThan(0);
    expect(files.has('prebuilds/linux-arm64/netlink_rx.node')).toBe(onPath('aarch64-linux-gnu-g++'));
  });

  it('packs the addon sources and CMakeLists.txt, so a from-source build works in the consumer', () => {
    const sources = readdirSync(join(repo, 'addon')).filter((name) => /\.(cc|h)$/.test(name));
    expect(sources.length).toBeGreaterThan(0);
    for (const name of sources) expect(files.has(`addon/${name}`), `addon/${name}`).toBe(true);
    expect(files.has('CMakeLists.txt')).toBe(true);
  });

  it('packs nothing else: no specs, TypeScript sources, source maps, build trees or scripts', () => {
    const allowed = new RegExp('^(package\\.json|README\\.md|LICENSE|CHANGELOG\\.md|CMakeLists\\.txt|scripts/build-addon\\.mjs|' +
      'dist/[\\w/-]+\\.(js|d\\.c?ts)|prebuilds/linux-(x64|arm64)/netlink_rx\\.node|addon/[\\w-]+\\.(cc|h))$');
    expect([...files.keys()].filter((path) => !allowed.test(path))).toEqual([]);
  });

  it('packs a manifest with no lifecycle script: its one script is the source build, its dependencies are what runs', () => {
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Manifest;
    expect(manifest.scripts).toEqual({ 'build:addon': 'node scripts/build-addon.mjs' });
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(['rxjs', 'ws']);
  });

  it('leaves the clone\'s package.json as it was, prepare and all', () => {
    expect(readFileSync(join(repo, 'package.json'), 'utf8')).toBe(cloneManifest);
    expect(existsSync(join(repo, 'build/package.clone.json'))).toBe(false);
    expect((JSON.parse(cloneManifest) as Manifest).scripts?.prepare).toBeDefined();
  });
});

describe('npm install <tarball> in a fresh project', () => {
  it('adds netlink-rx and its runtime dependencies, at most 6 packages', () => {
    // npm's record of what it installed: every package under node_modules, nested ones included.
    const record = JSON.parse(readFileSync(join(consumer, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const packages = Object.keys(record.packages).map((path) => path.replace(/^.*node_modules\//, '')).sort();
    console.log(`npm install <tarball>: ${packages.length} packages (${packages.join(', ')})`);
    expect(packages).toContain('netlink-rx');
    expect(packages.length).toBeLessThanOrEqual(6);
  });

  // npm 11 lists a tarball's `prepare` among the "install scripts not yet covered by
  // allowScripts" (for registry installs only preinstall/install/postinstall count).
  it('installs without a warning under npm\'s default script policy', () => {
    const npm = mustRun('npm', ['--version'], consumer).trim();
    expect(install.stderr, `npm ${npm} warned`).not.toMatch(/npm warn/i);
    expect(`${install.stdout}${install.stderr}`).not.toContain('allowScripts');
  });

  it('needs no install script: the package declares none and npm built nothing', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[hook], hook).toBeUndefined();
    // npm invents `node-gyp rebuild` as the install script of a package with a binding.gyp.
    expect(existsSync(join(installed, 'binding.gyp'))).toBe(false);
    expect(existsSync(join(installed, 'build'))).toBe(false);
  });

  it('runs `npx nlrx --help` and `npx nlrx help`', () => {
    // --no: fail rather than fetch a registry package called nlrx should the bin be missing.
    const out = mustRun('npx', ['--no', '--', 'nlrx', '--help'], consumer);
    expect(out).toContain('Usage: nlrx');
    expect(mustRun('npx', ['--no', '--', 'nlrx', 'help'], consumer)).toBe(out);
  });

  it('runs `npx nlrx --version`: the installed package\'s version', () => {
    const { version } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Manifest;
    expect(mustRun('npx', ['--no', '--', 'nlrx', '--version'], consumer)).toBe(`nlrx (netlink-rx) ${version}\n`);
  });

  it('imports the package root without loading ws (only netlink-rx/ui needs it)', () => {
    const report = (specifier?: string): { ms: number; ws: string[] } =>
      JSON.parse(mustRun(process.execPath, ['root-import.mjs', ...(specifier ? [specifier] : [])], consumer)) as { ms: number; ws: string[] };
    const root = report();
    // What the import costs, next to RxJS's own: a measurement for the log, not an assertion.
    const median = (runs: number[]): string => runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)].toFixed(0);
    const rootRuns = [root.ms, report().ms, report().ms];
    const rxjsRuns = [report('rxjs').ms, report('rxjs').ms, report('rxjs').ms];
    console.log(`import('netlink-rx') ${median(rootRuns)} ms, import('rxjs') ${median(rxjsRuns)} ms (median of 3 processes)`);
    expect(root.ws).toEqual([]);
  });

  it('lets a CommonJS module require() the package (Node >= 20.19 loads ES modules from require)', () => {
    const result = run(process.execPath, ['open-socket.cjs'], consumer);
    expect(result.stderr).toBe(''); // no ERR_REQUIRE_ESM, and no experimental warning either
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { portId: number; netlinkError: boolean };
    expect(report.portId).toBeGreaterThan(0);
    expect(report.netlinkError).toBe(true);
  });

  it.each(['node16', 'bundler'])('type-checks a TypeScript consumer with moduleResolution %s against the published declarations', (resolution) => {
    copyFileSync(join(fixtures, 'typed-consumer.ts.txt'), join(consumer, 'typed-consumer.ts'));
    const config = {
      compilerOptions: {
        target: 'ES2022',
        module: resolution === 'node16' ? 'node16' : 'esnext',
        moduleResolution: resolution,
        strict: true,
        noEmit: true,
        // Check the published .d.ts files too, not only the consumer's file.
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(repo, 'node_modules/@types')],
      },
      files: ['typed-consumer.ts'],
    };
    writeFileSync(join(consumer, `tsconfig.${resolution}.json`), JSON.stringify(config, null, 2));
    const result = run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], consumer);
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('imports fine off Linux and throws a NetlinkError naming the platform at first use', () => {
    const out = mustRun(process.execPath, ['--require', './fake-platform.cjs', 'first-use.mjs'], consumer, { FAKE_PLATFORM: 'darwin' });
    const report = JSON.parse(out) as { imported: boolean; netlinkError: boolean; code: string; message: string };
    expect(report).toMatchObject({ imported: true, netlinkError: true, code: 'ENOTSUP' });
    expect(report.message).toContain('darwin');
  });

  it('says what to run when no prebuilt binary fits the architecture', () => {
    const out = mustRun(process.execPath, ['--require', './fake-platform.cjs', 'first-use.mjs'], consumer, { FAKE_ARCH: 'riscv64' });
    const report = JSON.parse(out) as { imported: boolean; netlinkError: boolean; code: string; message: string };
    expect(report).toMatchObject({ imported: true, netlinkError: true, code: 'ENOENT' });
    expect(report.message).toContain('linux-riscv64');
    expect(report.message).toContain(`cd ${installed}/ && npm run build:addon`);
  });
});

describe.skipIf(!isRoot)('the installed package against the kernel', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('pack');
    ns.ip('link', 'add', 'nlrx-pa', 'type', 'veth', 'peer', 'name', 'nlrx-pb');
  });
  afterAll(() => ns?.remove());

  it('imports the package (ESM) and dumps the links of a namespace with the prebuilt binary', () => {
    const report = JSON.parse(mustRun(process.execPath, ['open-socket.mjs', ns.name], consumer)) as { names: string[]; addon: string };
    const expected = ns.ipJson<{ ifname: string }[]>('link', 'show').map((link) => link.ifname).sort();
    expect(expected).toEqual(['lo', 'nlrx-pa', 'nlrx-pb']);
    expect(report.names).toEqual(expected);
    expect(report.addon).toBe(join(installed, 'prebuilds', `${process.platform}-${process.arch}`, 'netlink_rx.node'));
  });

  it('opens a socket in the namespace from CommonJS', () => {
    const report = JSON.parse(mustRun(process.execPath, ['open-socket.cjs', ns.name], consumer)) as { portId: number };
    expect(report.portId).toBeGreaterThan(0);
  });

  it('runs `npx nlrx -n <ns> link show` and lists the namespace links', () => {
    expect(files.has('dist/cli/commands/link.js')).toBe(true);
    const out = mustRun('npx', ['--no', '--', 'nlrx', '-n', ns.name, 'link', 'show'], consumer);
    const links = ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show');
    expect(links).toHaveLength(3);
    for (const link of links) expect(out).toMatch(new RegExp(`^${link.ifindex}: ${link.ifname}[@:]`, 'm'));
  });
});

// Last: it removes the prebuilt binaries and leaves a build/ in the installed package.
describe('building the addon from source in the installed package (the fallback for other architectures)', () => {
  it('with the prebuilt binaries removed, builds with the command the loader names, loads that build and dumps routes', () => {
    rmSync(join(installed, 'prebuilds'), { recursive: true, force: true });
    const before = JSON.parse(mustRun(process.execPath, ['first-use.mjs'], consumer)) as { code: string; message: string };
    expect(before.code).toBe('ENOENT');
    const command = /`([^`]+)`/.exec(before.message)?.[1];
    expect(command).toBe(`cd ${installed}/ && npm run build:addon`);
    // The build tools are not installed: the command fetches them from the registry (npm exec).
    expect(existsSync(join(consumer, 'node_modules/cmake-js'))).toBe(false);
    mustRun('sh', ['-c', command!], consumer);

    const built = join(installed, 'build/Release/netlink_rx.node');
    expect(existsSync(built)).toBe(true);
    expect(JSON.parse(mustRun(process.execPath, ['open-socket.mjs'], consumer))).toMatchObject({ addon: built });
    // This namespace's routes, read-only: the same as ip's.
    const routes = JSON.parse(mustRun('npx', ['--no', '--', 'nlrx', '-j', 'route', 'show'], consumer)) as unknown[];
    expect(routes).toEqual(JSON.parse(mustRun('ip', ['-j', 'route', 'show'], consumer)));
  }, 480_000);
});
