/**
 * `nlrx rule show [SELECTOR]`: `ip rule show` of iproute2 6.1 (iprule.c
 * iprule_list_flush_or_save) — IPv4 unless -6, same output, `-j` and `-d`
 * included, every selector ip's show reads, in its order and with its
 * abbreviations and errors. The dump runs with `forEachDumpBatch` and
 * `ruleSelector`, what `rules()` does, without loading RxJS (see
 * commands/route.ts); the kernel filters rules by family only, so every
 * selector is applied in JavaScript, as ip applies it.
 */
import { readFileSync } from 'node:fs';
import { UsageError, type CliContext } from '../cli-context.js';
import { IP_EXIT_USAGE, familyNumberOf, invalidArgument, ipPrefix, nextArgument, withFamily } from '../ip-args.js';
import { ipMatches } from '../ip-matches.js';
import { objectOutput } from '../object-output.js';
import { IPROUTE2_CONFDIR, parseUnsigned, routeProtocols, routeTables } from '../route-names.js';
import { ruleFormat } from '../rule-format.js';
import { dumpError } from '../rtnetlink-answers.js';
import { AF_INET } from '../../route/constants.js';
import { familyName } from '../../route/inet-family.js';
import type { InetPrefix } from '../../route/inet-prefix.js';
import { ruleRequest, ruleSelector, type RuleFilter, type RuleRange } from '../../route/rule-decode.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { dumpOptions } from './link.js';

const USAGE = `Usage: nlrx rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
            [ table TABLE_ID ] [ protocol PROTO ] [ tun_id ID ]`;

/** rtnl_dsfield_a2n(): a name of rt_dsfield, or a hexadecimal number up to 0xff. */
function dsfield(text: string): number | undefined {
  try {
    for (const line of readFileSync(`${IPROUTE2_CONFDIR}/rt_dsfield`, 'utf8').split('\n')) {
      const match = /^\s*(0x[0-9a-f]+|\d+)\s+(\S+)/i.exec(line);
      if (match && match[2] === text) return Number(match[1]);
    }
  } catch {
    // No database: numbers only.
  }
  if (!/^(0x)?[0-9a-f]+$/i.test(text)) return undefined;
  const value = parseInt(text.replace(/^0x/i, ''), 16);
  return value <= 255 ? value : undefined;
}

/** inet_proto_a2n(): a decimal number up to 255, or a protocol's name or alias in /etc/protocols. */
function ipProtocol(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) <= 255 ? Number(text) : undefined;
  try {
    for (const line of readFileSync('/etc/protocols', 'utf8').split('\n')) {
      const words = line.replace(/#.*/, '').trim().split(/\s+/);
      if (words.length >= 2 && /^\d+$/.test(words[1]) && (words[0] === text || words.slice(2).includes(text))) {
        return Number(words[1]);
      }
    }
  } catch {
    // No /etc/protocols: numbers only.
  }
  return undefined;
}

/** sscanf("%u-%u") (or "%hu-%hu"): both numbers, or one when `single` (the end is then the start). */
function range(text: string, max: number, single: boolean): RuleRange | undefined {
  const match = /^\s*(\d+)(?:-\s*(\d+))?/.exec(text);
  if (!match || (match[2] === undefined && !single)) return undefined;
  // %hu keeps the low 16 bits, as C does.
  const start = Number(match[1]) % (max + 1);
  const end = match[2] === undefined ? start : Number(match[2]) % (max + 1);
  return { start, end };
}

/** get_ifname(): a name the kernel could have. */
function ifname(text: string): boolean {
  return text.length > 0 && text.length < 16 && !/[/:\s]/.test(text);
}

/** The text form of a parsed prefix, for the library's filter. */
function prefixText(prefix: InetPrefix, text: string): string {
  return prefix.bytes.length === 0 ? 'all' : text;
}

/** Reads ip rule show's selectors, in iprule.c's order (`t` is tun_id, `l` lookup, `f` from, `s` src). */
function parseSelectors(args: readonly string[], filter: RuleFilter, family: number): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (ipMatches(arg, 'preference') || ipMatches(arg, 'order') || ipMatches(arg, 'priority')) {
      const text = nextArgument(args, ++i);
      const pref = parseUnsigned(text);
      if (pref === undefined) throw invalidArgument('preference value is invalid\n', text);
      filter.priority = pref;
    } else if (arg === 'not') filter.not = true;
    else if (arg === 'tos' || arg === 'dsfield') {
      const text = nextArgument(args, ++i);
      const tos = dsfield(text);
      if (tos === undefined) throw invalidArgument('TOS value is invalid\n', text);
      filter.tos = tos;
    } else if (arg === 'fwmark') {
      const text = nextArgument(args, ++i);
      const [markText, maskText] = text.split('/', 2);
      const mark = parseUnsigned(markText);
      if (mark === undefined) throw invalidArgument('fwmark value is invalid\n', markText);
      // ip selects on a mark or mask only when it is not zero.
      if (mark) filter.fwmark = mark;
      if (maskText !== undefined) {
        const mask = parseUnsigned(maskText);
        if (mask === undefined) throw invalidArgument('fwmask value is invalid\n', maskText);
        if (mask) filter.fwmask = mask;
      }
    } else if (arg === 'dev' || arg === 'iif') {
      const name = nextArgument(args, ++i);
      if (!ifname(name)) throw invalidArgument('"iif"/"dev" not a valid ifname', name);
      filter.iifname = name;
    } else if (arg === 'oif') {
      const name = nextArgument(args, ++i);
      if (!ifname(name)) throw invalidArgument('"oif" not a valid ifname', name);
      filter.oifname = name;
    } else if (arg === 'l3mdev') filter.l3mdev = true;
    else if (arg === 'uidrange') {
      const text = nextArgument(args, ++i);
      const uids = range(text, 0xffffffff, false);
      if (uids === undefined) throw invalidArgument('invalid UID range\n', text);
      filter.uidRange = uids;
    } else if (ipMatches(arg, 'tun_id')) {
      const text = nextArgument(args, ++i);
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(text) || BigInt(text) > 0xffffffffffffffffn) {
        throw invalidArgument('"tun_id" value is invalid\n', text);
      }
      if (BigInt(text) !== 0n) filter.tunId = BigInt(text);
    } else if (ipMatches(arg, 'lookup') || ipMatches(arg, 'table')) {
      const text = nextArgument(args, ++i);
      const table = routeTables().id(text);
      if (table === undefined) throw invalidArgument('table id value is invalid\n', text);
      filter.table = table;
    } else if (ipMatches(arg, 'from') || ipMatches(arg, 'src')) {
      const text = nextArgument(args, ++i);
      filter.src = prefixText(ipPrefix(text, family), text);
    } else if (ipMatches(arg, 'protocol')) {
      // Read and checked, but iproute2 6.1 applies it only when flushing: show lists every protocol.
      const text = nextArgument(args, ++i);
      if (routeProtocols().id(text) === undefined && text !== 'all') throw invalidArgument('invalid "protocol"\n', text);
    } else if (arg === 'ipproto') {
      const text = nextArgument(args, ++i);
      const proto = ipProtocol(text);
      if (proto === undefined) throw invalidArgument('Invalid "ipproto" value\n', text);
      if (proto) filter.ipProto = proto;
    } else if (arg === 'sport' || arg === 'dport') {
      const text = nextArgument(args, ++i);
      const ports = range(text, 0xffff, true);
      if (ports === undefined) throw invalidArgument(arg === 'sport' ? 'invalid port range\n' : 'invalid dport range\n', text);
      // A range starting at port 0 selects nothing to ip.
      if (ports.start) filter[arg === 'sport' ? 'sportRange' : 'dportRange'] = ports;
    } else {
      const text = ipMatches(arg, 'dst') || ipMatches(arg, 'to') ? nextArgument(args, ++i) : arg;
      filter.dst = prefixText(ipPrefix(text, family), text);
    }
  }
}

/**
 * run executes `nlrx rule <verb> <args>`.
 *
 * @example
 * await run(ctx, 'show', ['from', '10.0.0.0/8']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') throw new UsageError(USAGE, IP_EXIT_USAGE);
  // ip rule lists IPv4 rules unless a family is given (any family: the kernel refuses those without rules).
  const family = ctx.family === undefined ? AF_INET : familyNumberOf(ctx.family);
  const filter: RuleFilter = { family: familyName(family) };
  parseSelectors(args, filter, family);
  const out = objectOutput(ctx, ruleFormat(ctx.details, ctx.color));
  const select = ruleSelector(filter);
  try {
    await forEachDumpBatch(withFamily(ruleRequest(filter), family), (batch) => {
      for (const msg of batch) {
        const rule = select(msg);
        if (rule !== undefined) out.push(rule);
      }
    }, dumpOptions(ctx));
  } catch (error) {
    // ip's do_cmd() exits with minus what the command returns: `return 1` is 255.
    throw dumpError(error, IP_EXIT_USAGE);
  }
  out.end();
}
