import { describe, expect, it } from 'vitest';
import { ipObject, ipVerb } from '../../lib/cli/ip-commands.js';
import { ipMatches } from '../../lib/cli/ip-matches.js';
import { UsageError } from '../../lib/cli/cli-context.js';

function failure(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe("ip's words (ip/ip.c cmds[], each object's verbs)", () => {
  it('matches() takes any non-empty prefix', () => {
    expect(ipMatches('li', 'link')).toBe(true);
    expect(ipMatches('link', 'link')).toBe(true);
    expect(ipMatches('links', 'link')).toBe(false);
    expect(ipMatches('', 'link')).toBe(false);
  });

  it.each([
    ['a', 'address'], ['ad', 'address'], ['addr', 'address'], ['r', 'route'], ['ro', 'route'], ['ru', 'rule'],
    ['n', 'neighbor'], ['nei', 'neighbor'], ['neighbour', 'neighbor'], ['l', 'link'], ['li', 'link'],
    ['nex', 'nexthop'], ['mo', 'monitor'], ['h', 'help'],
  ])('object %s is %s, in ip order', (word, object) => {
    expect(ipObject(word)).toBe(object);
  });

  it('fails as ip does on an unknown object, and names the ip object nlrx lacks', () => {
    expect(failure(() => ipObject('bogus'))).toMatchObject({ message: 'Object "bogus" is unknown, try "ip help".', exitCode: 1 });
    // "m" is ip's maddress (first in ip's table), never monitor.
    expect(failure(() => ipObject('m')).message).toBe('Object "maddress" is not supported by nlrx.');
  });

  it.each([
    ['route', 's', 'show'], ['route', 'g', 'get'], ['route', 'l', 'show'], ['address', 's', 'show'], ['address', 'lst', 'show'],
    ['link', 'sh', 'show'], ['link', 'l', 'show'], ['neighbor', 'g', 'get'], ['rule', 's', 'show'], ['nexthop', 'b', 'bucket'],
    ['nexthop', 'g', 'get'], ['link', undefined, 'show'], ['link', 'help', 'help'],
  ])('%s %s is the verb %s', (object, word, verb) => {
    expect(ipVerb(object, word)).toBe(verb);
  });

  it('refuses the verbs that write ("s" after link is set), and unknown ones with exit 255', () => {
    expect(failure(() => ipVerb('link', 's'))).toMatchObject({ message: 'nlrx only reads: "ip link set" is not supported.', exitCode: 255 });
    expect(failure(() => ipVerb('address', 'a')).message).toBe('nlrx only reads: "ip address add" is not supported.');
    expect(failure(() => ipVerb('neighbor', 'dev'))).toMatchObject({ message: 'Command "dev" is unknown, try "ip neigh help".', exitCode: 255 });
    // chg is compared whole: "ch" is change.
    expect(failure(() => ipVerb('route', 'chg')).message).toBe('nlrx only reads: "ip route change" is not supported.');
  });

  it('leaves the words of objects without ip verbs to their module', () => {
    expect(ipVerb('monitor', 'link')).toBeUndefined();
    expect(ipVerb('genl', 'ctrl')).toBeUndefined();
  });
});
