/**
 * `ip route show`'s SELECTOR read as ip 6.1 reads it: abbreviations resolve
 * in ip's order of checks, the kernel is asked to filter what it can (the
 * RouteFilter), and the rest is checked per route as filter_nlmsg does.
 */
import { describe, expect, it } from 'vitest';
import { parseRouteSelector, routeSelected } from '../../lib/cli/route-selector.js';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../lib/route/constants.js';
import type { Route } from '../../lib/route/route-decode.js';

const route = (fields: Partial<Route>): Route => ({
  family: AF_INET, dstLen: 16, srcLen: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0, ...fields,
});

describe('parseRouteSelector', () => {
  it.each<[string[], Record<string, unknown>]>([
    // `r` is realms, `m` metric, `c` cached, `d` dsfield, `s` scope, `t` table, `p` protocol: ip's order.
    [['r', '1/2'], { realms: { value: 0x10002, mask: 0xffffffff } }],
    [['m', '5'], { metric: 5 }],
    [['c'], { filter: { cloned: true, family: 'inet', table: 'main' } }],
    [['d', '0x10'], { tos: 0x10 }],
    [['s', 'link'], { scope: 253 }],
    [['t', 'all'], { table: 0, family: AF_UNSPEC, filter: {} }],
    [['p', 'static'], { protocol: 4, filter: { protocol: 4, family: 'inet', table: 'main' } }],
    [['table', '1000'], { filter: { family: 'inet', table: 1000 } }],
    [['table', 'cache'], { filter: { cloned: true, family: 'inet', table: 'main' } }],
    [['proto', 'all'], { protocol: undefined, filter: { family: 'inet', table: 'main' } }],
  ])('%j', (args, expected) => {
    expect(parseRouteSelector(args, AF_UNSPEC)).toMatchObject(expected);
  });

  it('leaves the kernel out of what it cannot filter: prefixes, gateways, sources, TOS, metric', () => {
    const s = parseRouteSelector(['table', 'all', 'match', '10.1.2.3', 'via', '10.0.0.1', 'src', '10.0.0.2', 'tos', '10',
      'metric', '5'], AF_UNSPEC);
    expect(s.filter).toEqual({});
    expect(s.matchDst?.family).toBe(AF_INET);
  });

  it('fails on a bad value with ip\'s text and exit status 255', () => {
    expect(() => parseRouteSelector(['table', 'bogus'], AF_UNSPEC)).toThrow('Error: argument "bogus" is wrong: table id value is invalid\n');
    try {
      parseRouteSelector(['metric'], AF_UNSPEC);
    } catch (error) {
      expect(error).toMatchObject({ message: 'Command line is not complete. Try option "help"', exitCode: 255 });
    }
  });
});

describe('routeSelected', () => {
  const all = (args: string[]) => parseRouteSelector(['table', 'all', ...args], AF_UNSPEC);

  it.each<[string[], Partial<Route>, boolean]>([
    [['match', '10.1.2.3'], { dst: '10.1.0.0', dstLen: 16 }, true],
    [['match', '10.1.2.3'], { dstLen: 0 }, true],
    [['match', '10.1.2.3'], { dst: '10.1.2.0', dstLen: 28 }, true],
    [['match', '10.1.2.3'], { dst: '10.1.2.4', dstLen: 30 }, false],
    [['root', '10.0.0.0/8'], { dst: '10.1.0.0', dstLen: 16 }, true],
    [['root', '10.0.0.0/8'], { dstLen: 0 }, false],
    [['exact', '10.1.0.0/16'], { dst: '10.1.0.0', dstLen: 16 }, true],
    [['exact', '10.1.0.0/16'], { dst: '10.1.0.0', dstLen: 17 }, false],
    [['exact', 'default'], { dstLen: 0, family: AF_INET6 }, true],
    [['via', '10.0.0.1'], { gateway: '10.0.0.1' }, true],
    [['via', '10.0.0.1'], { gateway: '10.0.0.2' }, false],
    [['via', '10.0.0.1'], {}, false],
    [['src', '10.0.0.0/8'], { prefsrc: '10.9.9.9' }, true],
    [['src', '10.0.0.0/8'], { prefsrc: '10.9.9.9', family: AF_INET6 }, false],
    [['realms', '2'], { flow: 0x10002 }, true],
    [['realms', '1/2'], { flow: 0x30002 }, false],
    [['metric', '0'], {}, true],
    [['metric', '5'], { priority: 6 }, false],
  ])('%j selects %j: %s', (args, fields, expected) => {
    expect(routeSelected(route(fields), all(args))).toBe(expected);
  });
});
