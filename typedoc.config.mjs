/**
 * The API reference, from the doc comments: `npm run docs` writes docs/api/
 * (git-ignored; open docs/api/index.html).
 *
 * One entry point per public subpath, read from package.json's `exports`
 * (`./dist/x.js` or `./dist/x.d.ts` → `lib/x.ts`), so the reference documents
 * exactly what a user can import — a new subpath needs no edit here.
 */
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Every string in an `exports` target, conditions (`types`, `import`, `default` …) included. */
function targets(value) {
  if (typeof value === 'string') return [value];
  return Object.values(value ?? {}).flatMap(targets);
}

const entryPoints = [...new Set(Object.values(manifest.exports).flatMap((target) => {
  const compiled = targets(target).map((path) => /^\.\/dist\/(.+?)\.(?:d\.ts|js)$/.exec(path)).find(Boolean);
  return compiled ? [`lib/${compiled[1]}.ts`] : [];
}))];

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints,
  tsconfig: 'tsconfig.build.json',
  out: 'docs/api',
  name: `${manifest.name} ${manifest.version}`,
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  // Node's and RxJS's own types are linked by name, not documented again here.
  excludeExternals: true,
  // TypeDoc's defaults, and C: some comments quote the kernel's structs.
  highlightLanguages: ['bash', 'console', 'css', 'html', 'javascript', 'json', 'jsonc', 'json5', 'yaml', 'tsx', 'typescript', 'c'],
  sort: ['kind', 'instance-first', 'alphabetical-ignoring-documents'],
};
