/**
 * The NATS options the fleet commands share (`publish`, `fleet`, `serve
 * --nats`): the server URL, the bucket, and the credentials and TLS files
 * the NATS client takes.
 */
import type { FleetConnectOptions } from '../fleet/fleet-connection.js';
import type { LiveKind } from '../live/live-kind.js';
import { UsageError } from './cli-context.js';

/** Usage text of the NATS options. */
export const NATS_USAGE = '--nats URL[,URL…] [--bucket NAME] [--creds FILE | --user USER --pass PASS | --nats-token TOKEN] ' +
  '[--tls-ca FILE] [--tls-cert FILE --tls-key FILE]';

/** A mutable FleetConnectOptions being read from the command line. */
export interface NatsArgs {
  servers?: string[];
  bucket?: string;
  user?: string;
  pass?: string;
  token?: string;
  credsFile?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/**
 * natsOption reads one NATS option at `args[i]` into `into`; returns how many
 * words it took (0: not a NATS option).
 *
 * @example
 * const into: NatsArgs = {};
 * natsOption(['--nats', 'nats://10.0.0.5:4222'], 0, into); // 2
 */
export function natsOption(args: readonly string[], i: number, into: NatsArgs, usage: string): number {
  const arg = args[i];
  const value = (): string => {
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`Option "${arg}" needs a value.\n${usage}`);
    return v;
  };
  const tls = (): NonNullable<NatsArgs['tls']> => (into.tls ??= {});
  switch (arg) {
    case '--nats': {
      const servers = value().split(',').filter((s) => s !== '');
      for (const s of servers) {
        if (!/^(nats|tls|ws|wss):\/\/[^\s/]+$|^[^\s/:]+(:\d+)?$/.test(s)) throw new UsageError(`"${s}" is not a NATS server URL (nats://host:port).`);
      }
      into.servers = servers;
      return 2;
    }
    case '--bucket':
      into.bucket = value();
      if (!/^[-\w]+$/.test(into.bucket)) throw new UsageError(`Bucket "${into.bucket}" is not a bucket name (letters, digits, - and _).`);
      return 2;
    case '--user': into.user = value(); return 2;
    case '--pass': into.pass = value(); return 2;
    // Not --token: nlrx serve's --token is the dashboard's own.
    case '--nats-token': into.token = value(); return 2;
    case '--creds': into.credsFile = value(); return 2;
    case '--tls-ca': tls().caFile = value(); return 2;
    case '--tls-cert': tls().certFile = value(); return 2;
    case '--tls-key': tls().keyFile = value(); return 2;
    default: return 0;
  }
}

/**
 * eachFleetArg reads a fleet command's words: the NATS options into `nats`,
 * every other word to `option` with a `value()` that takes the next word
 * (or refuses, naming the option, when there is none).
 *
 * @example
 * eachFleetArg(args, nats, USAGE, (arg, value) => { if (arg === '--host') host = value(); });
 */
export function eachFleetArg(args: readonly string[], nats: NatsArgs, usage: string,
  option: (arg: string, value: () => string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const taken = natsOption(args, i, nats, usage);
    if (taken > 0) {
      i += taken - 1;
      continue;
    }
    const arg = args[i];
    option(arg, () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`Option "${arg}" needs a value.\n${usage}`);
      return v;
    });
  }
}

/**
 * connectOptions checks what was read and gives the FleetConnectOptions.
 *
 * @example
 * connectOptions({ servers: ['nats://127.0.0.1:4222'] }, 'nlrx fleet', USAGE);
 */
export function connectOptions(into: NatsArgs, name: string, usage: string): FleetConnectOptions {
  if (into.servers === undefined || into.servers.length === 0) throw new UsageError(`${name} needs --nats URL.\n${usage}`);
  if ((into.user === undefined) !== (into.pass === undefined)) throw new UsageError('--user and --pass go together.');
  if (into.tls !== undefined && (into.tls.certFile === undefined) !== (into.tls.keyFile === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together.');
  }
  return { ...into, servers: into.servers, name };
}

const TABLE_WORDS: Record<string, LiveKind> = {
  link: 'links', links: 'links', l: 'links',
  address: 'addresses', addresses: 'addresses', addr: 'addresses', a: 'addresses',
  route: 'routes', routes: 'routes', r: 'routes', ro: 'routes',
  neighbor: 'neighbors', neighbors: 'neighbors', neighbour: 'neighbors', neighbours: 'neighbors', neigh: 'neighbors', n: 'neighbors',
  rule: 'rules', rules: 'rules', ru: 'rules',
  nexthop: 'nexthops', nexthops: 'nexthops', nh: 'nexthops',
};

/**
 * tableWord reads a table name as `ip` spells objects (`route`, `neigh` …)
 * or as lib/live does (`routes`, `neighbors` …); undefined for another word.
 *
 * @example
 * tableWord('neigh'); // 'neighbors'
 */
export function tableWord(word: string): LiveKind | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE_WORDS, word) ? TABLE_WORDS[word] : undefined;
}
