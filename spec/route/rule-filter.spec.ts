/**
 * RuleFilter's selectors, applied in JavaScript as `ip rule show` applies
 * them (iprule.c filter_nlmsg): one row per selector, a rule it selects and
 * one it leaves out.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6 } from '../../lib/route/constants.js';
import { FIB_RULE_INVERT, FR_ACT_TO_TBL, matchRule, type Rule, type RuleFilter } from '../../lib/route/rule-decode.js';

const base: Rule = { family: AF_INET, dstLen: 0, srcLen: 0, tos: 0, table: 254, action: FR_ACT_TO_TBL, flags: 0, priority: 100 };
const rule = (fields: Partial<Rule>): Rule => ({ ...base, ...fields });

describe('matchRule', () => {
  it.each<[string, RuleFilter, Partial<Rule>, Partial<Rule>]>([
    ['from PREFIX: within, and at least as long', { src: '10.0.0.0/8' }, { src: '10.1.0.0', srcLen: 16 }, { src: '11.0.0.0', srcLen: 8 }],
    ['from PREFIX: a shorter rule prefix is not within', { src: '10.0.0.0/16' }, { src: '10.0.0.0', srcLen: 16 }, { src: '10.0.0.0', srcLen: 8 }],
    ['from all: every rule of the family', { family: 'inet', src: 'all' }, {}, { family: AF_INET6 }],
    ['to PREFIX', { dst: '192.168.0.0/16' }, { dst: '192.168.1.0', dstLen: 24 }, {}],
    ['pref N (absent is 0)', { priority: 0 }, { priority: undefined }, { priority: 1 }],
    ['not', { not: true }, { flags: FIB_RULE_INVERT }, {}],
    ['tos', { tos: 0x10 }, { tos: 0x10 }, { tos: 0x08 }],
    ['fwmark', { fwmark: 7 }, { fwmark: 7 }, { fwmark: 8 }],
    ['fwmark/mask', { fwmark: 0x10, fwmask: 0xff }, { fwmark: 0x10, fwmask: 0xff }, { fwmark: 0x10, fwmask: 0xffffffff }],
    ['iif', { iifname: 'v0' }, { iifname: 'v0' }, { oifname: 'v0' }],
    ['oif', { oifname: 'v1' }, { oifname: 'v1' }, {}],
    ['l3mdev', { l3mdev: true }, { l3mdev: 1 }, { l3mdev: 0 }],
    ['uidrange', { uidRange: { start: 100, end: 200 } }, { uidRange: { start: 100, end: 200 } }, { uidRange: { start: 100, end: 201 } }],
    ['ipproto', { ipProto: 6 }, { ipProto: 6 }, {}],
    ['sport', { sportRange: { start: 80, end: 80 } }, { sportRange: { start: 80, end: 80 } }, { dportRange: { start: 80, end: 80 } }],
    ['dport', { dportRange: { start: 1, end: 9 } }, { dportRange: { start: 1, end: 9 } }, { dportRange: { start: 1, end: 8 } }],
    ['tun_id', { tunId: 42n }, { tunId: 42n }, { tunId: 43n }],
    ['protocol', { protocol: 4 }, { protocol: 4 }, { protocol: 2 }],
    ['table', { table: 100 }, { table: 100 }, { table: 254 }],
    ['table main', { table: 'main' }, { table: 254 }, { table: 255 }],
  ])('%s', (_, filter, selected, left) => {
    expect(matchRule(rule(selected), filter)).toBe(true);
    expect(matchRule(rule(left), filter)).toBe(false);
  });

  it('selects nothing with a prefix it cannot read, and everything with no selector', () => {
    expect(matchRule(rule({ src: '10.0.0.0', srcLen: 8 }), { src: 'router' })).toBe(false);
    expect(matchRule(rule({}), {})).toBe(true);
  });
});
