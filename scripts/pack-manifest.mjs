#!/usr/bin/env node
/**
 * The clone's package.json is not the one users install. A clone needs a
 * lifecycle script — `prepare` builds the addon and the TypeScript, so the
 * README's `npm install && npx nlrx route show` works — and the published
 * manifest must carry none: npm 11 lists a tarball's `prepare` among "install
 * scripts not covered by allowScripts", and users install prebuilt binaries
 * that need no build. npm has no field for "scripts of the repository only",
 * so `npm pack` packs a stripped package.json and puts the clone's back:
 *
 *   node scripts/pack-manifest.mjs strip            last step of prepack: package.json becomes the published manifest
 *   node scripts/pack-manifest.mjs restore          postpack: the clone's package.json again, byte for byte
 *   node scripts/pack-manifest.mjs refuse-publish   prepublishOnly: publish the packed tarball instead
 *
 * The published manifest keeps only the scripts that work in an installed
 * package (PUBLISHED_SCRIPTS); everything else in it is the clone's.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const manifestPath = join(root, 'package.json');
// Under build/ (git-ignored); its presence also means "a pack is under way or was interrupted".
const savedPath = join(root, 'build', 'package.clone.json');
/** `npm run build:addon` is the documented source build in node_modules/netlink-rx. */
const PUBLISHED_SCRIPTS = ['build:addon'];

function fail(message) {
  console.error(`pack-manifest: ${message}`);
  process.exit(1);
}

function strip() {
  if (existsSync(savedPath)) {
    fail(`${relative(root, savedPath)} exists: an earlier pack did not finish. ` +
      '`node scripts/pack-manifest.mjs restore` puts the clone\'s package.json back; then pack again.');
  }
  const text = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(text);
  const scripts = Object.fromEntries(PUBLISHED_SCRIPTS.map((name) => {
    if (!manifest.scripts?.[name]) fail(`package.json has no "${name}" script to publish`);
    return [name, manifest.scripts[name]];
  }));
  mkdirSync(dirname(savedPath), { recursive: true });
  copyFileSync(manifestPath, savedPath);
  writeFileSync(manifestPath, `${JSON.stringify({ ...manifest, scripts }, null, 2)}\n`);
  console.log(`pack-manifest: packing package.json with scripts ${PUBLISHED_SCRIPTS.join(', ')} only`);
}

function restore() {
  if (!existsSync(savedPath)) fail(`nothing to restore: ${relative(root, savedPath)} does not exist`);
  copyFileSync(savedPath, manifestPath);
  rmSync(savedPath);
}

function refusePublish() {
  // npm publish sends the registry the manifest it reads after packing, i.e. the
  // clone's (restored by postpack), while the tarball holds the stripped one.
  const { name, version } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  fail(`publish the packed tarball, whose package.json is the published manifest: npm pack && npm publish ${name}-${version}.tgz`);
}

const commands = { strip, restore, 'refuse-publish': refusePublish };
const command = commands[process.argv[2]];
if (!command) fail(`usage: node scripts/pack-manifest.mjs ${Object.keys(commands).join(' | ')}`);
command();
