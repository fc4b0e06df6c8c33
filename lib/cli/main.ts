#!/usr/bin/env node
/**
 * `nlrx`: iproute2-like commands over netlink-rx's public API.
 *
 *   nlrx [-n NETNS] [-4|-6] [-j] [-p] [-d] [-s] OBJECT [show] [FILTERS]
 */
import { readFileSync } from 'node:fs';
import { NetlinkError, NetlinkSyscallError } from '../errors.js';
import { UsageError, type CliContext, type CommandModule } from './cli-context.js';

const OBJECTS: Record<string, string> = {
  link: 'link', l: 'link',
  address: 'address', addr: 'address', a: 'address',
  route: 'route', r: 'route', ro: 'route',
  neighbor: 'neighbor', neighbour: 'neighbor', neigh: 'neighbor', n: 'neighbor',
  rule: 'rule', ru: 'rule',
  nexthop: 'nexthop', nh: 'nexthop',
  genl: 'genl',
  conntrack: 'conntrack',
  ethtool: 'ethtool',
  monitor: 'monitor',
  serve: 'serve',
  publish: 'publish',
  fleet: 'fleet',
};

const USAGE = `Usage: nlrx [-n NETNS] [-4|-6] [-j] [-p] [-d] [-s] OBJECT [show] [FILTERS]
       nlrx [-n NETNS] [-4|-6] [-j] monitor [all | link addr route neigh rule nexthop …]
       nlrx [-n NETNS] serve [--host 127.0.0.1] [--port 8080] [--token TOKEN]
       nlrx [-n NETNS] publish --nats URL --host NAME [TABLE …]   (also --creds FILE, --user/--pass, --tls-ca FILE …)
       nlrx [-j] fleet --nats URL TABLE
       nlrx serve --nats URL [--host 127.0.0.1] [--port 8080] [--token TOKEN]
       nlrx [-n NETNS] [-j] genl ctrl list | get name NAME | id ID
       nlrx [-n NETNS] [-j] conntrack -L | -C [-o extended] [-p PROTO] [-f ipv4|ipv6] [-s|-d ADDR] …
       nlrx [-n NETNS] [-j] ethtool -l|-k DEV
       nlrx help | --help | --version
  OBJECT := link | addr | route | neigh | rule | nexthop
  -n NETNS  a namespace under /run/netns     -4, -6  one address family
  -j        JSON, identical to ip -j         -p      pretty JSON
  -d        details                          -s      statistics`;

/** The installed package's version: dist/cli/main.js → ../../package.json. Read only when asked. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function main(argv: readonly string[]): Promise<number> {
  const ctx: CliContext = {
    json: false, pretty: false, details: false, stats: false,
    write: (text) => void process.stdout.write(text),
  };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const option = argv[i];
    if (option === '-n' || option === '-netns' || option === '--netns') {
      const name = argv[++i];
      if (name === undefined) throw new UsageError('Option "-n" needs a namespace name.');
      ctx.netns = name;
    } else if (option === '-4') ctx.family = 'inet';
    else if (option === '-6') ctx.family = 'inet6';
    else if (option === '-j' || option === '-json' || option === '--json') ctx.json = true;
    else if (option === '-p' || option === '-pretty' || option === '--pretty') ctx.pretty = true;
    else if (option === '-d' || option === '-details' || option === '--details') ctx.details = true;
    else if (option === '-s' || option === '-stats' || option === '--stats') ctx.stats = true;
    else if (option === '-h' || option === '-help' || option === '--help') {
      ctx.write(`${USAGE}\n`);
      return 0;
    } else if (option === '-V' || option === '-Version' || option === '--version') {
      ctx.write(`nlrx (netlink-rx) ${packageVersion()}\n`);
      return 0;
    } else throw new UsageError(`Option "${option}" is unknown, try "nlrx --help".`);
  }
  const word = argv[i++];
  if (word === undefined) throw new UsageError(USAGE);
  if (word === 'help') {
    ctx.write(`${USAGE}\n`);
    return 0;
  }
  const object = OBJECTS[word];
  if (object === undefined) throw new UsageError(`Object "${word}" is unknown, try "nlrx --help".`);
  const rest = argv.slice(i);
  const verbs = ['show', 'list', 'lst', 'sh', 'ls', 'l'];
  const hasVerb = rest.length > 0 && (verbs.includes(rest[0]) || rest[0] === 'help');
  const verb = hasVerb ? (rest[0] === 'help' ? 'help' : 'show') : 'show';
  const module = (await import(`./commands/${object}.js`)) as CommandModule;
  await module.run(ctx, verb, hasVerb ? rest.slice(1) : rest);
  return 0;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    } else if (error instanceof NetlinkError) {
      const syscall = error instanceof NetlinkSyscallError ? error.syscall : undefined;
      const netns = argv[argv.findIndex((a) => a === '-n' || a === '-netns' || a === '--netns') + 1];
      process.stderr.write(syscall === 'open' || syscall === 'setns'
        ? `Cannot open network namespace "${netns}": ${error.message}\n`
        : `Error: ${error.message}\n`);
    } else {
      process.stderr.write(`nlrx: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
