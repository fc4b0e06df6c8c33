/**
 * ip's command words (iproute2 6.1, ip/ip.c `cmds[]` and each object's
 * `do_ip…()`): which object an abbreviation names and which verb follows it,
 * tried in ip's order so that every abbreviation means what it means to ip.
 */
import { ipMatches } from './ip-matches.js';
import { UsageError } from './cli-context.js';

/**
 * ip's objects in the order ip/ip.c tries them; the nlrx command module of
 * each, or null where nlrx has none (the word is still ip's: `m` is maddress,
 * never a later object).
 */
const IP_OBJECTS: readonly (readonly [string, string | null])[] = [
  ['address', 'address'], ['addrlabel', null], ['maddress', null], ['route', 'route'], ['rule', 'rule'],
  ['neighbor', 'neighbor'], ['neighbour', 'neighbor'], ['ntable', null], ['ntbl', null], ['link', 'link'],
  ['l2tp', null], ['fou', null], ['ila', null], ['macsec', null], ['tunnel', null], ['tunl', null],
  ['tuntap', null], ['tap', null], ['token', null], ['tcpmetrics', null], ['tcp_metrics', null],
  ['monitor', 'monitor'], ['xfrm', null], ['mroute', null], ['mrule', null], ['netns', null],
  ['netconf', null], ['vrf', null], ['sr', null], ['nexthop', 'nexthop'], ['mptcp', null], ['ioam', null],
  ['help', 'help'], ['stats', null], ['amt', null],
];

/** ip's name of each object nlrx has, as its "try ip … help" messages spell it. */
const HELP_NAMES: Record<string, string> = {
  address: 'address', route: 'route', rule: 'rule', neighbor: 'neigh', link: 'link', nexthop: 'nexthop',
};

/**
 * Each object's verbs in the order its `do_ip…()` tries them, with what each
 * is. `show`, `get`, `bucket` and `help` read; every other verb changes the
 * kernel's tables, which nlrx never does. `exact` verbs are compared whole
 * (ip's `strcmp`, as for `chg`).
 */
const VERBS: Record<string, readonly (readonly [string, string, 'exact'?])[]> = {
  address: [['add', 'add'], ['change', 'change'], ['chg', 'change', 'exact'], ['replace', 'replace'],
    ['delete', 'delete'], ['list', 'show'], ['show', 'show'], ['lst', 'show'], ['flush', 'flush'],
    ['save', 'save'], ['showdump', 'showdump'], ['restore', 'restore'], ['help', 'help']],
  link: [['add', 'add'], ['change', 'change'], ['chg', 'change', 'exact'], ['replace', 'replace'],
    ['set', 'set'], ['delete', 'delete'], ['show', 'show'], ['lst', 'show'], ['list', 'show'],
    ['xstats', 'xstats'], ['afstats', 'afstats'], ['property', 'property'], ['help', 'help']],
  route: [['add', 'add'], ['change', 'change'], ['chg', 'change', 'exact'], ['replace', 'replace'],
    ['prepend', 'prepend'], ['append', 'append'], ['test', 'test'], ['delete', 'delete'],
    ['list', 'show'], ['show', 'show'], ['lst', 'show'], ['get', 'get'], ['flush', 'flush'],
    ['restore', 'restore'], ['showdump', 'showdump'], ['save', 'save'], ['help', 'help']],
  neighbor: [['add', 'add'], ['change', 'change'], ['chg', 'change', 'exact'], ['replace', 'replace'],
    ['delete', 'delete'], ['get', 'get'], ['show', 'show'], ['lst', 'show'], ['list', 'show'],
    ['help', 'help'], ['flush', 'flush']],
  rule: [['list', 'show'], ['lst', 'show'], ['show', 'show'], ['save', 'save'], ['restore', 'restore'],
    ['showdump', 'showdump'], ['add', 'add'], ['delete', 'delete'], ['flush', 'flush'], ['help', 'help']],
  nexthop: [['add', 'add'], ['replace', 'replace'], ['delete', 'delete'], ['list', 'show'], ['show', 'show'],
    ['lst', 'show'], ['get', 'get'], ['flush', 'flush'], ['bucket', 'bucket'], ['help', 'help']],
};

const READ_VERBS = new Set(['show', 'get', 'bucket', 'help']);

/**
 * ipObject names the nlrx command module of ip's object word `word` (any
 * abbreviation ip accepts), or fails as ip does for a word it does not know
 * (`Object "x" is unknown, try "ip help".`, exit 1) or as nlrx does for an
 * object of ip's it lacks.
 *
 * @example
 * ipObject('nei'); // 'neighbor'
 * ipObject('a');   // 'address'
 */
export function ipObject(word: string): string {
  const found = IP_OBJECTS.find(([name]) => ipMatches(word, name));
  if (found === undefined) throw new UsageError(`Object "${word}" is unknown, try "ip help".`);
  if (found[1] === null) throw new UsageError(`Object "${found[0]}" is not supported by nlrx.`);
  return found[1];
}

/**
 * ipVerb reads the verb after an object as ip does: none is `show`, an
 * abbreviation is the first verb of ip's list it begins; a verb that would
 * change the kernel's tables is refused (nlrx only reads), an unknown one
 * fails with ip's message and exit code (255). Objects without ip verbs
 * (monitor and nlrx's own) return undefined: their module reads every word.
 *
 * @example
 * ipVerb('route', 's');  // 'show'
 * ipVerb('link', 'lst'); // 'show'
 */
export function ipVerb(object: string, word: string | undefined): string | undefined {
  const verbs = VERBS[object];
  if (verbs === undefined) return undefined;
  if (word === undefined) return 'show';
  const found = verbs.find(([name, , exact]) => (exact ? word === name : ipMatches(word, name)));
  const help = HELP_NAMES[object];
  if (found === undefined) throw new UsageError(`Command "${word}" is unknown, try "ip ${help} help".`, 255);
  if (!READ_VERBS.has(found[1])) throw new UsageError(`nlrx only reads: "ip ${help} ${found[1]}" is not supported.`, 255);
  return found[1];
}
