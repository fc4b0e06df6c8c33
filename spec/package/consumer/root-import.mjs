// Imports one module the way an application does — by default the package root —
// and reports how long the import took and whether it loaded the `ws` package.
// ws is CommonJS (its ESM entry wraps it), so whatever loads it shows in require.cache.
import { createRequire } from 'node:module';

const specifier = process.argv[2] ?? 'netlink-rx';
const start = performance.now();
await import(specifier);
const ms = performance.now() - start;
const ws = Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('/node_modules/ws/'));
console.log(JSON.stringify({ specifier, ms, ws }));
