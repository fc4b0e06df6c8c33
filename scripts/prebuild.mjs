#!/usr/bin/env node
/**
 * Builds the prebuilt Node-API binaries that the npm tarball ships, with
 * cmake-js, into prebuilds/<platform>-<arch>/netlink_rx.node — the second
 * place lib/transport/native.ts looks, after a build from source.
 *
 *   node scripts/prebuild.mjs                     host target, plus every cross target whose compiler is installed
 *   node scripts/prebuild.mjs linux-arm64 ...     exactly these targets; a missing compiler is an error
 *
 * Under `npm publish` (npm_command=publish) every target is required, so a
 * release never silently lacks one. Node-API is ABI-stable: one binary per
 * platform and architecture serves every Node version ≥ the NAPI_VERSION.
 * A target that is not built this run has its old binary removed, so a stale
 * binary from older sources is never packed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readSync, closeSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cmakeJs = createRequire(import.meta.url).resolve('cmake-js/bin/cmake-js');

/**
 * What each Linux target needs. `machine` is the ELF e_machine the binary
 * must carry (EM_X86_64 = 62, EM_AARCH64 = 183 in <elf.h>); `prefix` is the
 * Debian cross toolchain's prefix (package g++-<prefix without the dash>).
 */
const TARGETS = {
  'linux-x64': { arch: 'x64', machine: 62, processor: 'x86_64', prefix: 'x86_64-linux-gnu-' },
  'linux-arm64': { arch: 'arm64', machine: 183, processor: 'aarch64', prefix: 'aarch64-linux-gnu-' },
};

const host = `${process.platform}-${process.arch}`;
const requested = process.argv.slice(2);
const strict = requested.length > 0 || process.env.npm_command === 'publish';

function fail(message) {
  console.error(`prebuild: ${message}`);
  process.exit(1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/** Reads e_ident[EI_CLASS] and e_machine: a 64-bit ELF has class 2, e_machine at byte 18 (little-endian). */
function elfMachine(path) {
  const head = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2) return -1;
  return head.readUInt16LE(18);
}

if (process.platform !== 'linux') fail(`prebuilt binaries are built on Linux, this is ${process.platform}`);
if (!(host in TARGETS)) fail(`no prebuild target for this host (${host}); known: ${Object.keys(TARGETS).join(', ')}`);
for (const name of requested) if (!(name in TARGETS)) fail(`unknown target ${name}; known: ${Object.keys(TARGETS).join(', ')}`);

const targets = requested.length > 0 ? requested : Object.keys(TARGETS);
const built = [];
for (const name of targets) {
  const target = TARGETS[name];
  const native = name === host;
  const compiler = native ? undefined : `${target.prefix}g++`;
  if (compiler && !onPath(compiler)) {
    const hint = `${compiler} not found (Debian: apt-get install g++-${target.prefix.slice(0, -1)})`;
    if (strict) fail(`cannot build ${name}: ${hint}`);
    console.warn(`prebuild: skipping ${name}: ${hint}`);
    rmSync(join(root, 'prebuilds', name), { recursive: true, force: true });
    continue;
  }

  const out = join('build', `prebuild-${name}`);
  const cross = compiler
    ? [`--CDCMAKE_CXX_COMPILER=${compiler}`, '--CDCMAKE_SYSTEM_NAME=Linux', `--CDCMAKE_SYSTEM_PROCESSOR=${target.processor}`]
    : [];
  run(process.execPath, [cmakeJs, 'compile', '--runtime', 'node', '--arch', target.arch, '--out', out, ...cross]);

  const binary = join(root, out, 'Release', 'netlink_rx.node');
  if (elfMachine(binary) !== target.machine) fail(`${binary} is not a 64-bit ELF for ${name}`);
  const dir = join(root, 'prebuilds', name);
  mkdirSync(dir, { recursive: true });
  const staged = join(dir, 'netlink_rx.tmp.node');
  // Symbols are for debugging the build tree, not for users: stripping halves the file.
  const strip = native ? 'strip' : `${target.prefix}strip`;
  if (onPath(strip)) run(strip, ['--strip-unneeded', '-o', staged, binary]);
  else copyFileSync(binary, staged);
  if (native) {
    // Loading it is the one check that catches a binary Node cannot use.
    const load = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(staged)})`], { stdio: 'inherit' });
    if (load.status !== 0) fail(`${staged} does not load in Node ${process.version}`);
  }
  // rename: a process loading the prebuilt meanwhile sees the old file or the new one, never half of one.
  renameSync(staged, join(dir, 'netlink_rx.node'));
  built.push(relative(root, join(dir, 'netlink_rx.node')));
}
console.log(`prebuild: ${built.join(', ')}`);
