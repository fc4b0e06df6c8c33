#!/usr/bin/env node
/**
 * `nlrx`: iproute2-like commands over netlink-rx's public API.
 *
 *   nlrx [OPTIONS] OBJECT [show] [FILTERS]   (ip's global options, objects and verbs, abbreviated as ip allows)
 */
import { readFileSync } from 'node:fs';
import { NetlinkError, NetlinkSyscallError } from '../errors.js';
import { UsageError, type CliContext, type CliFamily, type CommandModule } from './cli-context.js';
import { ipObject, ipVerb } from './ip-commands.js';
import { ipMatches } from './ip-matches.js';

/** nlrx's own objects and aliases, named in full (ip's objects, abbreviated, are in ip-commands.ts). */
const OBJECTS: Record<string, string> = {
  nh: 'nexthop',
  genl: 'genl',
  conntrack: 'conntrack',
  ethtool: 'ethtool',
  ss: 'ss',
  serve: 'serve',
  publish: 'publish',
  fleet: 'fleet',
};

const USAGE = `Usage: nlrx [OPTIONS] OBJECT [show] [FILTERS]
       nlrx [-n NETNS] [-4|-6] [-j] monitor [all | link addr route neigh rule nexthop …]
       nlrx [-n NETNS] serve [--host 127.0.0.1] [--port 8080] [--token TOKEN]
       nlrx [-n NETNS] publish --nats URL --host NAME [TABLE …]   (also --creds FILE, --user/--pass, --tls-ca FILE …)
       nlrx [-j] fleet --nats URL TABLE
       nlrx serve --nats URL [--host 127.0.0.1] [--port 8080] [--token TOKEN]
       nlrx [-n NETNS] [-j] genl ctrl list | get name NAME | id ID
       nlrx [-n NETNS] [-j] conntrack -L | -C [-o extended] [-p PROTO] [-f ipv4|ipv6] [-s|-d ADDR] …
       nlrx [-n NETNS] [-j] ethtool [-l|-g|-c|-a|-k] DEV
       nlrx [-n NETNS] [-j] ss [-tuwxlanemipHO46] [state STATE] [FILTER]
       nlrx help | -help | --version
  OBJECT := link | address | route | neigh | rule | nexthop (abbreviated as ip allows)
  OPTIONS := -n[etns] NETNS | -4 | -6 | -0 | -M | -B | -f[amily] inet|inet6|link|mpls|bridge |
             -j[son] | -p[retty] | -d[etails] | -s[tatistics] (twice: more) | -br[ief] |
             -o[neline] | -c[olor][=always|auto|never]`;

/** The installed package's version: dist/cli/main.js → ../../package.json. Read only when asked. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** ip's `read_family()` (lib/utils.c): the names `-f` takes. */
const FAMILIES: Record<string, CliFamily> = { inet: 'inet', inet6: 'inet6', link: 'link', mpls: 'mpls', bridge: 'bridge' };

/** ip's `matches_color()` (lib/utils.c): `-c[olor]` alone is `always`; any other value is not a colour option. */
function colorOption(option: string): 'always' | 'auto' | 'never' | undefined {
  const eq = option.indexOf('=');
  const name = eq < 0 ? option : option.slice(0, eq);
  const value = eq < 0 ? 'always' : option.slice(eq + 1);
  if (!ipMatches(name, '-color')) return undefined;
  return value === 'always' || value === 'auto' || value === 'never' ? value : undefined;
}

/**
 * Reads the global options as ip/ip.c does: each option may be abbreviated
 * and ip tries them in its own order (`-s` is `-stats` and `-b` `-batch`,
 * so brief needs `-br`); `--x` is `-x`. Returns the index of the object word.
 * Options ip has but nlrx does not honour fail (exit 255) rather than print
 * something else than ip would.
 */
function parseOptions(ctx: CliContext, argv: readonly string[]): number | 'done' {
  let color: 'always' | 'auto' | 'never' = 'never';
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    if (argv[i] === '--') { i++; break; }
    // An npm command answers --version whatever ip does (ip refuses it: no script relies on that).
    if (argv[i] === '--version') {
      ctx.write(`nlrx (netlink-rx) ${packageVersion()}\n`);
      return 'done';
    }
    const option = argv[i].startsWith('--') ? argv[i].slice(1) : argv[i];
    const is = (full: string) => ipMatches(option, full);
    const unsupported = () => new UsageError(`Option "${argv[i]}" is not supported by nlrx.`, 255);
    if (is('-loops')) throw unsupported();
    else if (is('-family')) {
      const name = argv[++i];
      if (name === undefined || name === 'help') throw new UsageError(USAGE, 255);
      const family = FAMILIES[name];
      if (family === undefined) throw new UsageError(`Error: argument "${name}" is wrong: invalid protocol family`, 255);
      ctx.family = family;
    } else if (option === '-4') ctx.family = 'inet';
    else if (option === '-6') ctx.family = 'inet6';
    else if (option === '-0') ctx.family = 'link';
    else if (option === '-M') ctx.family = 'mpls';
    else if (option === '-B') ctx.family = 'bridge';
    else if (is('-human') || is('-human-readable') || is('-iec')) throw unsupported();
    else if (is('-stats') || is('-statistics')) ctx.statsLevel++;
    else if (is('-details')) ctx.details = true;
    else if (is('-resolve')) throw unsupported();
    else if (is('-oneline')) ctx.oneline = true;
    else if (is('-timestamp') || is('-tshort')) throw unsupported();
    else if (is('-Version')) {
      ctx.write(`nlrx (netlink-rx) ${packageVersion()}\n`);
      return 'done';
    } else if (is('-force') || is('-batch')) throw unsupported();
    else if (is('-brief')) ctx.brief = true;
    else if (is('-json')) ctx.json = true;
    else if (is('-pretty')) ctx.pretty = true;
    else if (is('-rcvbuf')) throw unsupported();
    else if (colorOption(option) !== undefined) color = colorOption(option) ?? color;
    else if (is('-help')) {
      ctx.write(`${USAGE}\n`);
      return 'done';
    } else if (is('-netns')) {
      const name = argv[++i];
      if (name === undefined) throw new UsageError(USAGE, 255);
      ctx.netns = name;
    } else if (is('-Numeric') || is('-all')) throw unsupported();
    else throw new UsageError(`Option "${argv[i]}" is unknown, try "ip -help".`, 255);
  }
  ctx.stats = ctx.statsLevel > 0;
  // As ip's check_enable_color(): JSON is never coloured, auto only on a terminal.
  ctx.color = !ctx.json && (color === 'always' || (color === 'auto' && process.stdout.isTTY === true));
  return i;
}

async function main(argv: readonly string[]): Promise<number> {
  const ctx: CliContext = {
    json: false, pretty: false, details: false, stats: false, statsLevel: 0, brief: false, oneline: false,
    color: false, write: (text) => void process.stdout.write(text),
  };
  const at = parseOptions(ctx, argv);
  if (at === 'done') return 0;
  let i = at;
  const word = argv[i++];
  if (word === undefined) throw new UsageError(USAGE, 255);
  const object = OBJECTS[word] ?? ipObject(word);
  if (object === 'help') {
    ctx.write(`${USAGE}\n`);
    return 0;
  }
  const rest = argv.slice(i);
  const verb = ipVerb(object, rest[0]);
  const module = (await import(`./commands/${object}.js`)) as CommandModule;
  if (verb !== undefined) {
    await module.run(ctx, verb, rest.slice(1));
    return 0;
  }
  // nlrx's own objects (and monitor) take a leading "show"/"help" as their verb.
  const hasVerb = rest.length > 0 && (['show', 'list', 'lst', 'sh', 'ls', 'l'].includes(rest[0]) || rest[0] === 'help');
  await module.run(ctx, rest[0] === 'help' ? 'help' : 'show', hasVerb ? rest.slice(1) : rest);
  return 0;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      if (error.message !== '') process.stderr.write(`${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    } else if (error instanceof NetlinkError) {
      const syscall = error instanceof NetlinkSyscallError ? error.syscall : undefined;
      const netns = argv[argv.findIndex((a) => a.startsWith('-') && a !== '-' && ipMatches(a.replace(/^--/, '-'), '-netns')) + 1];
      process.stderr.write(syscall === 'open' || syscall === 'setns'
        ? `Cannot open network namespace "${netns}": ${error.message}\n`
        : `Error: ${error.message}\n`);
    } else {
      process.stderr.write(`nlrx: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
