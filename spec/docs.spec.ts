/**
 * Doc examples compile: every `@example` of a doc comment in lib/ and every
 * js/ts code block of the README is type-checked against lib/ (with
 * `netlink-rx` and its subpaths mapped onto the entries). An example that
 * imports from netlink-rx is a whole program: its imports must exist and every
 * function it calls must be declared or imported. An example without imports
 * is a fragment that may lean on variables of its context (`msg`, `batch`),
 * and on callbacks of the reader's own (`handle(batch)`), but a function of
 * netlink-rx it calls must be in scope where it is written (the documented
 * module's own names and imports) or public — exported by an entry — never
 * private to another module (`openNetlinkSocket`) or gone.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../', import.meta.url));
const lib = join(repo, 'lib');

interface Example {
  /** Where it is: file:line. */
  where: string;
  code: string;
  /** The lib module it documents. */
  file?: string;
}

function libFiles(dir = lib): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return libFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The `@example` blocks of a file's doc comments: the comment lines after the tag, up to the next tag or the end. */
function docExamples(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j];
      if (/^\s*\*\//.test(line) || /^\s*\*\s*@\w+/.test(line)) break;
      body.push(line.replace(/^\s*\* ?/, ''));
    }
    examples.push({ file, where: `${relative(repo, file)}:${i + 1}`, code: body.join('\n').replace(/^```\w*\n?|```$/gm, '') });
    i = j - 1;
  }
  return examples;
}

function readmeExamples(): Example[] {
  const text = readFileSync(join(repo, 'README.md'), 'utf8');
  const examples: Example[] = [];
  for (const match of text.matchAll(/^```(js|ts|javascript|typescript)\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, match.index).split('\n').length;
    examples.push({ where: `README.md:${line}`, code: match[2] });
  }
  return examples;
}

const examples = [...libFiles().flatMap(docExamples), ...readmeExamples()];
const importsPackage = (code: string) => /from\s+['"]netlink-rx(\/[\w-]+)?['"]/.test(code);

const work = mkdtempSync(join(tmpdir(), 'nlrx-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Names public through the entries or RxJS: what an import-less fragment may call. */
function publicNames(program: ts.Program): Set<string> {
  const checker = program.getTypeChecker();
  const names = new Set<string>();
  for (const entry of ['index.ts', 'constants.ts', 'codec.ts', 'ui/index.ts', 'testing/index.ts', 'fleet/index.ts']) {
    const source = program.getSourceFile(join(lib, entry));
    const symbol = source && checker.getSymbolAtLocation(source);
    if (symbol) for (const s of checker.getExportsOfModule(symbol)) names.add(s.name);
  }
  return names;
}

/** Problems of every example, by TypeScript, checked as one program (one file per example). */
function check(): { problems: string[]; checked: number } {
  mkdirSync(join(work, 'ex'), { recursive: true });
  const files = examples.map((example, i) => {
    const file = join(work, 'ex', `example-${i}.ts`);
    // A module of its own, so its top-level names never meet another example's.
    writeFileSync(file, `${example.code}\nexport {};\n`);
    return file;
  });
  const rxjs = join(repo, 'node_modules/rxjs/dist/types/index.d.ts');
  const program = ts.createProgram([...files, rxjs, ...libFiles(), join(lib, 'index.ts'), join(lib, 'constants.ts'), join(lib, 'codec.ts'),
    join(lib, 'ui/index.ts'), join(lib, 'testing/index.ts'), join(lib, 'fleet/index.ts')], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: false, noEmit: true, skipLibCheck: true, allowJs: false, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')],
    baseUrl: repo,
    paths: {
      'netlink-rx': ['lib/index.ts'],
      'netlink-rx/ui': ['lib/ui/index.ts'],
      'netlink-rx/testing': ['lib/testing/index.ts'],
      'netlink-rx/fleet': ['lib/fleet/index.ts'],
      'netlink-rx/*': ['lib/*.ts'],
      rxjs: ['node_modules/rxjs/dist/types/index.d.ts'],
    },
  });
  const known = publicNames(program);
  const rxjsSource = program.getSourceFile(rxjs);
  const rxjsSymbol = rxjsSource && program.getTypeChecker().getSymbolAtLocation(rxjsSource);
  if (rxjsSymbol) for (const s of program.getTypeChecker().getExportsOfModule(rxjsSymbol)) known.add(s.name);

  /** Every name lib/ declares at the top of a module, exported or not: calls of these are netlink-rx's. */
  const libNames = new Set<string>();
  for (const path of libFiles()) {
    const source = program.getSourceFile(path);
    for (const statement of source?.statements ?? []) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) libNames.add(d.name.text);
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
        libNames.add(statement.name.text);
      }
    }
  }

  /** The names in scope at the top of each documented module: its declarations and imports. */
  const scopes = new Map<string, Set<string>>();
  const scopeOf = (path: string): Set<string> => {
    let scope = scopes.get(path);
    if (!scope) {
      const source = program.getSourceFile(path);
      scope = new Set(source ? program.getTypeChecker()
        .getSymbolsInScope(source, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).map((symbol) => symbol.name) : []);
      scopes.set(path, scope);
    }
    return scope;
  };

  const problems: string[] = [];
  files.forEach((file, i) => {
    const example = examples[i];
    const whole = importsPackage(example.code);
    const source = program.getSourceFile(file)!;
    for (const d of ts.getPreEmitDiagnostics(program, source)) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line + 1;
      const at = `${example.where} (example line ${line}): ${text}`;
      // An import of netlink-rx that does not resolve or names what is not exported.
      if ([2305, 2724, 2614, 2459, 2460].includes(d.code)) problems.push(at);
      else if (d.code === 2307 && /netlink-rx/.test(text)) problems.push(at);
      else if ((d.code === 2304 || d.code === 2552) && d.start !== undefined) {
        const name = /'([^']+)'/.exec(text)?.[1] ?? '';
        const after = source.text.slice(d.start + name.length).trimStart();
        const before = source.text.slice(Math.max(0, d.start - 4), d.start);
        const called = after.startsWith('(') || after.startsWith('<') || /new\s$/.test(before);
        if (!called) continue; // a variable of the fragment's context
        if (whole) problems.push(`${at} — called but neither declared nor imported`);
        else if (libNames.has(name) && !known.has(name) && !(example.file && scopeOf(example.file).has(name))) {
          problems.push(`${at} — private to another module of netlink-rx`);
        }
      }
    }
  });
  return { problems, checked: files.length };
}

describe('doc examples', () => {
  it('are found in lib/ and in the README', () => {
    expect(examples.filter((e) => e.where.startsWith('lib/')).length).toBeGreaterThan(50);
    expect(examples.filter((e) => e.where.startsWith('README')).length).toBeGreaterThan(3);
  });

  it('import what exists and call only what is declared, imported or public', () => {
    const { problems, checked } = check();
    console.log(`doc examples: ${checked} checked, ${problems.length} problems`);
    expect(problems).toEqual([]);
  }, 120_000);

  it('the checker sees a private or missing call, and a name used without its import (it is not blind)', () => {
    const before = examples.length;
    examples.push(
      { where: 'probe:private', code: "const socket = openNetlinkSocket(0);\n" },
      { where: 'probe:placeholder', code: "dump(request).subscribe((msg) => handle(msg));\n" },
      { where: 'probe:unimported', code: "import { dump } from 'netlink-rx';\nrtnetlink({}); dump;\n" },
      { where: 'probe:missing-export', code: "import { rtmsg } from 'netlink-rx';\nrtmsg;\n" },
    );
    try {
      const { problems } = check();
      expect(problems.some((p) => p.startsWith('probe:private') && p.includes('openNetlinkSocket'))).toBe(true);
      expect(problems.some((p) => p.startsWith('probe:unimported') && p.includes('rtnetlink'))).toBe(true);
      expect(problems.some((p) => p.startsWith('probe:missing-export') && p.includes('rtmsg'))).toBe(true);
      expect(problems.filter((p) => p.startsWith('probe:placeholder'))).toEqual([]);
    } finally {
      examples.length = before;
    }
  }, 120_000);
});
