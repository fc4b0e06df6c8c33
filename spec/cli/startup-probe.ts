/**
 * What a CLI process loaded, for the start-up specs: a fact, not a timing.
 * Not a spec itself (no .spec.ts): route-startup.spec.ts and
 * show-startup.spec.ts share it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI: `npm test` builds dist first; while developing, `npm run build:ts`. */
export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * Runs `main` with `args` in this Node, and reports on exit which modules it
 * loaded: CommonJS ones from require.cache (RxJS is CommonJS under Node), ES
 * modules through a resolve hook.
 */
const PROBE = `
import { createRequire, register } from 'node:module';
const require = createRequire(import.meta.url);
process.on('exit', () => {
  process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n');
});
const main = process.env.PROBE_MAIN;
const { pathToFileURL } = await import('node:url');
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("ESM " + r.url + "\\\\n"); return r; }'));
process.argv = [process.argv[0], main, ...JSON.parse(process.env.PROBE_ARGS)];
await import(pathToFileURL(main).href);
`;

/** What `probe` saw: the exit status, standard output and every module URL or path loaded. */
export interface ProbeRun {
  status: number | null;
  stdout: string;
  modules: string[];
}

/**
 * probe runs `main` (the CLI unless told) with `args` and lists the modules it loaded.
 *
 * @example
 * const run = probe(['-n', 'blue', 'link', 'show']);
 * run.modules.filter((m) => m.includes('/node_modules/rxjs/')); // []
 */
export function probe(args: string[], main = MAIN): ProbeRun {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
    encoding: 'utf8', env: { ...process.env, PROBE_MAIN: main, PROBE_ARGS: JSON.stringify(args) },
  });
  const cjs = JSON.parse(/LOADED (.*)/.exec(run.stderr)?.[1] ?? '[]') as string[];
  const esm = [...run.stderr.matchAll(/^ESM (.*)$/gm)].map((m) => m[1]);
  return { status: run.status, stdout: run.stdout, modules: [...cjs, ...esm] };
}

/** The RxJS modules among `modules`. */
export function rxjsModules(modules: readonly string[]): string[] {
  return modules.filter((m) => m.includes('/node_modules/rxjs/'));
}
