#!/usr/bin/env node
/**
 * Removes from dist/ every compiled file whose lib/ source no longer exists,
 * so a renamed or deleted module is not packed. tsc never deletes outputs;
 * wiping dist/ instead would break, for a moment, anything running from it.
 *
 *   node scripts/prune-dist.mjs
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
// dist/a/b.js, b.js.map, b.d.ts and b.d.ts.map all come from lib/a/b.ts.
const OUTPUT = /\.(js|js\.map|d\.ts|d\.ts\.map)$/;

let removed = 0;
function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (OUTPUT.test(entry.name)) {
      const source = join(root, 'lib', relative(dist, path).replace(OUTPUT, '.ts'));
      if (!existsSync(source)) {
        rmSync(path);
        removed++;
      }
    }
  }
}

if (existsSync(dist)) prune(dist);
if (removed > 0) console.log(`prune-dist: removed ${removed} stale file(s)`);
