/**
 * The fleet commands' refusals, before any NATS server is involved: no
 * publishing without a host name, one line and exit 1 when the server is
 * unreachable or the optional `nats` package is missing.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../lib/cli/commands/serve.js';
import { ensureBuilt, root, runNlrx } from '../ui/serve-process.js';

/** A port nothing listens on (the discard port, refused on loopback). */
const CLOSED = 'nats://127.0.0.1:9';

/** One line on stderr, no stack. */
function oneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

beforeAll(() => ensureBuilt());

describe('nlrx publish / fleet / serve --nats: refusals', () => {
  it('publish needs --host: nothing is published without a name', async () => {
    const { code, stderr } = await runNlrx(['publish', '--nats', CLOSED, 'route']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/needs --host NAME/);
    const bad = await runNlrx(['publish', '--nats', CLOSED, '--host', 'a\tb']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not usable/);
  });

  it('unknown tables and missing values are usage errors', async () => {
    expect((await runNlrx(['publish', '--nats', CLOSED, '--host', 'h', 'routez'])).stderr).toMatch(/"routez" is not a table/);
    expect((await runNlrx(['fleet', '--nats', CLOSED])).stderr).toMatch(/needs a TABLE/);
    expect((await runNlrx(['fleet', 'route'])).stderr).toMatch(/needs --nats URL/);
    expect((await runNlrx(['fleet', '--nats'])).stderr).toMatch(/needs a value/);
    expect((await runNlrx(['fleet', '--nats', CLOSED, '--user', 'u', 'route'])).stderr).toMatch(/--user and --pass go together/);
  });

  it('an unreachable server: one line, exit 1', async () => {
    const { code, stdout, stderr } = await runNlrx(['fleet', '--nats', CLOSED, '-j', 'route']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    oneLine(stderr);
    expect(stderr).toMatch(/^Error: cannot connect to NATS at nats:\/\/127\.0\.0\.1:9/);
  });

  it('without the optional nats package: a FleetError saying what to install', async () => {
    // A resolve hook that finds no `nats`, as in a project that did not install it.
    const hook = 'data:text/javascript,export async function resolve(s, c, next) { if (s === "nats") { ' +
      'const e = new Error("Cannot find package nats"); e.code = "ERR_MODULE_NOT_FOUND"; throw e; } return next(s, c); }';
    const register = `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(hook)});`;
    const child = spawn(process.execPath, ['--import', register, join(root, 'dist/cli/main.js'), 'fleet', '--nats', CLOSED, 'route'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    oneLine(stderr);
    expect(stderr).toMatch(/needs the NATS client: npm install nats@2/);
  });

  it('serve --nats takes the NATS options beside its own (--token stays the dashboard\'s) and no namespace', () => {
    expect(parseServeArgs(['--nats', 'nats://10.0.0.5:4222', '--token', 't', '--nats-token', 'n'], undefined))
      .toMatchObject({ token: 't', nats: { servers: ['nats://10.0.0.5:4222'], token: 'n' } });
    expect(parseServeArgs([], undefined)).not.toHaveProperty('nats');
    expect(() => parseServeArgs(['--nats', 'nats://10.0.0.5:4222'], 'blue')).toThrow(/no namespace/);
  });
});
