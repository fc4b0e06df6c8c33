#!/usr/bin/env node
/**
 * Builds the native addon from source into build/Release/netlink_rx.node, the
 * first place lib/transport/native.ts looks. The same command works in a clone
 * and in an installed package:
 *
 *   npm run build:addon                                  in a clone
 *   cd node_modules/netlink-rx && npm run build:addon    in a project that installed netlink-rx
 *
 * The build tools — cmake-js and node-addon-api (C++ headers) — are
 * devDependencies: a user of the prebuilt binaries never runs them, so an
 * installed package does not have them. There this script asks npm for the
 * versions package.json's devDependencies name (`npm exec`, as `npx` does: the
 * registry, into npm's cache) and runs itself again under that `npm exec`,
 * which puts their node_modules/.bin on PATH. Beyond that, the build needs
 * cmake >= 3.19, a C++17 compiler and Node's headers (README: Requirements).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const TOOLS = ['cmake-js', 'node-addon-api'];
// Set for the second run, under npm exec: fetching again would loop.
const FETCHED = 'NETLINK_RX_BUILD_TOOLS_FETCHED';

function fail(message) {
  console.error(`build:addon: ${message}`);
  process.exit(1);
}

/**
 * The build tools as seen from `from` (a file whose node_modules lookup is
 * used): cmake-js's entry script and the directory holding node-addon-api, or
 * undefined when either is missing there.
 */
function locate(from) {
  const require = createRequire(from);
  try {
    return {
      cmakeJs: require.resolve('cmake-js/bin/cmake-js'),
      modules: dirname(dirname(require.resolve('node-addon-api/package.json'))),
    };
  } catch {
    return undefined;
  }
}

/** The tools npm exec installed: its node_modules/.bin is on PATH, so its node_modules is the parent. */
function locateFetched() {
  for (const entry of (process.env.PATH ?? '').split(delimiter)) {
    if (!entry.endsWith(`${sep}node_modules${sep}.bin`)) continue;
    const tools = locate(join(dirname(entry), 'fetched.js'));
    if (tools) return tools;
  }
  return undefined;
}

let tools = locate(join(root, 'package.json'));
if (!tools && process.env[FETCHED]) tools = locateFetched();
if (!tools) {
  if (process.env[FETCHED]) fail(`npm exec ran, but ${TOOLS.join(' and ')} are not on its PATH`);
  const packages = TOOLS.map((name) => {
    const range = manifest.devDependencies?.[name];
    if (!range) fail(`package.json names no version of ${name} in devDependencies`);
    return `--package=${name}@${range}`;
  });
  console.log(`build:addon: fetching ${TOOLS.join(' and ')} with npm exec (they are not installed here)`);
  const result = spawnSync('npm', ['exec', '--yes', ...packages, '--', process.execPath, fileURLToPath(import.meta.url)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, [FETCHED]: '1' },
  });
  process.exit(result.status ?? 1);
}

// CMakeLists.txt asks `node` for node-addon-api's headers from the source directory;
// NODE_PATH lets that lookup find fetched tools outside this package's node_modules.
const env = { ...process.env, NODE_PATH: [tools.modules, process.env.NODE_PATH].filter(Boolean).join(delimiter) };
const build = spawnSync(process.execPath, [tools.cmakeJs, 'compile', '--runtime', 'node', '--directory', root, '--out', join(root, 'build')], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (build.status !== 0) fail(`cmake-js failed (${build.error?.message ?? `exit ${build.status}`}); it needs cmake >= 3.19, a C++17 compiler and Node's headers`);
console.log(`build:addon: ${join(root, 'build', 'Release', 'netlink_rx.node')}`);
