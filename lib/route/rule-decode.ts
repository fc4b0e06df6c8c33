/**
 * Policy routing rules (RTM_GETRULE / RTM_NEWRULE, struct fib_rule_hdr +
 * FRA_* attributes, <linux/fib_rules.h>): type, decoder, dump request and
 * selector, without RxJS — `nlrx rule show` loads this module alone; rule.ts
 * re-exports it with `rules()`.
 */
import { AttributeCursor, MessageWriter } from '../codec/attributes.js';
import { NETLINK_ROUTE, NLMSG_HDRLEN, type NetlinkMessage } from '../codec/header.js';
import { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { AF_INET, AF_INET6, AF_UNSPEC, RTM_GETRULE, RTM_NEWRULE } from './constants.js';
import { rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';
import { formatAddress } from './route-address.js';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN } from './route-constants.js';

/** sizeof(struct fib_rule_hdr): family, dst_len, src_len, tos, table, res1, res2, action (u8), flags (u32). */
export const FIB_RULE_HDR_SIZE = 12;

// fib_rule_hdr.flags.
export const FIB_RULE_PERMANENT = 0x1;
export const FIB_RULE_INVERT = 0x2;
export const FIB_RULE_UNRESOLVED = 0x4;
export const FIB_RULE_IIF_DETACHED = 0x8;
export const FIB_RULE_DEV_DETACHED = FIB_RULE_IIF_DETACHED;
export const FIB_RULE_OIF_DETACHED = 0x10;
export const FIB_RULE_FIND_SADDR = 0x10000;

// Attributes.
export const FRA_UNSPEC = 0;
export const FRA_DST = 1;
export const FRA_SRC = 2;
export const FRA_IIFNAME = 3;
export const FRA_IFNAME = FRA_IIFNAME;
export const FRA_GOTO = 4;
export const FRA_PRIORITY = 6;
export const FRA_FWMARK = 10;
export const FRA_FLOW = 11;
export const FRA_TUN_ID = 12;
export const FRA_SUPPRESS_IFGROUP = 13;
export const FRA_SUPPRESS_PREFIXLEN = 14;
export const FRA_TABLE = 15;
export const FRA_FWMASK = 16;
export const FRA_OIFNAME = 17;
export const FRA_PAD = 18;
export const FRA_L3MDEV = 19;
export const FRA_UID_RANGE = 20;
export const FRA_PROTOCOL = 21;
export const FRA_IP_PROTO = 22;
export const FRA_SPORT_RANGE = 23;
export const FRA_DPORT_RANGE = 24;

// fib_rule_hdr.action.
export const FR_ACT_UNSPEC = 0;
export const FR_ACT_TO_TBL = 1;
export const FR_ACT_GOTO = 2;
export const FR_ACT_NOP = 3;
export const FR_ACT_RES3 = 4;
export const FR_ACT_RES4 = 5;
export const FR_ACT_BLACKHOLE = 6;
export const FR_ACT_UNREACHABLE = 7;
export const FR_ACT_PROHIBIT = 8;

/**
 * RuleRange is struct fib_rule_uid_range or fib_rule_port_range.
 *
 * @example
 * if (rule.dportRange) console.log(`${rule.dportRange.start}-${rule.dportRange.end}`);
 */
export interface RuleRange {
  start: number;
  end: number;
}

/**
 * Rule is one policy routing rule: struct fib_rule_hdr, then one field per
 * FRA_* attribute present. `table` is FRA_TABLE when present (tables above
 * 255), else the header's; `action` is an FR_ACT_*.
 *
 * @example
 * rules({ family: 'inet' }).subscribe((r) => console.log(r.priority, r.src ?? 'all', r.table));
 */
export interface Rule {
  family: number;
  dstLen: number;
  srcLen: number;
  tos: number;
  table: number;
  action: number;
  /** FIB_RULE_* bits. */
  flags: number;
  priority?: number;
  src?: string;
  dst?: string;
  iifname?: string;
  oifname?: string;
  goto?: number;
  fwmark?: number;
  fwmask?: number;
  /** FRA_FLOW: realms, `from << 16 | to`. */
  flow?: number;
  /** FRA_TUN_ID, in host order. */
  tunId?: bigint;
  suppressIfgroup?: number;
  /** FRA_SUPPRESS_PREFIXLEN as a signed number (-1: not set). */
  suppressPrefixlen?: number;
  l3mdev?: number;
  uidRange?: RuleRange;
  /** FRA_PROTOCOL: who installed the rule (RTPROT_*). */
  protocol?: number;
  ipProto?: number;
  sportRange?: RuleRange;
  dportRange?: RuleRange;
  /** Attributes this decoder does not type, copied. */
  unknown?: RawAttribute[];
  /** Malformed attributes met while decoding; the rest of the rule is still decoded. */
  problems?: NetlinkDecodeError[];
}

/**
 * RuleFilter selects rules. The kernel accepts no filter in a strictly
 * checked rule dump but the family, so `table` is applied in JavaScript
 * (and is not part of the request).
 *
 * @example
 * rules({ family: 'inet6', table: 'main' });
 */
export interface RuleFilter {
  family?: 'inet' | 'inet6';
  table?: number | 'main' | 'local' | 'all';
}

const CONTEXT = ['rule'];

/**
 * ruleRequest builds the RTM_GETRULE dump request: the family is the only
 * thing a rule dump request may carry.
 *
 * @example
 * dump(ruleRequest({ family: 'inet' }), { strictCheck: true });
 */
export function ruleRequest(filter: RuleFilter = {}): DumpRequest {
  const w = new MessageWriter(16);
  const frh = w.struct(FIB_RULE_HDR_SIZE);
  frh[0] = filter.family === 'inet' ? AF_INET : filter.family === 'inet6' ? AF_INET6 : AF_UNSPEC;
  return { protocol: NETLINK_ROUTE, type: RTM_GETRULE, payload: Uint8Array.from(w.bytes()) };
}

/**
 * decodeRuleRequest reads back the part of a filter a rule dump request
 * carries (the family): `decodeRuleRequest(ruleRequest(f).payload)` equals
 * `{ family: f.family }`.
 *
 * @example
 * decodeRuleRequest(ruleRequest({ family: 'inet6' }).payload); // { family: 'inet6' }
 */
export function decodeRuleRequest(payload: Uint8Array): RuleFilter {
  if (payload.length < FIB_RULE_HDR_SIZE) throw new NetlinkDecodeError('struct fib_rule_hdr cut short', 0, ['rule request']);
  const filter: RuleFilter = {};
  if (payload[0] === AF_INET) filter.family = 'inet';
  else if (payload[0] === AF_INET6) filter.family = 'inet6';
  return filter;
}

function range(c: AttributeCursor, half: number): RuleRange {
  if (c.length < 2 * half) throw new NetlinkDecodeError(`range needs ${2 * half} bytes, has ${c.length}`, c.offset, CONTEXT);
  return half === 4
    ? { start: c.data.readUInt32LE(c.offset), end: c.data.readUInt32LE(c.offset + 4) }
    : { start: c.data.readUInt16LE(c.offset), end: c.data.readUInt16LE(c.offset + 2) };
}

/**
 * decodeRule decodes an RTM_NEWRULE message; a malformed attribute is
 * recorded in `problems` and skipped, unknown ones kept in `unknown`.
 *
 * @example
 * dump(ruleRequest()).pipe(map(decodeRule));
 */
export function decodeRule(msg: NetlinkMessage): Rule {
  const d = msg.data;
  const base = msg.offset + NLMSG_HDRLEN;
  const end = msg.offset + msg.length;
  if (end - base < FIB_RULE_HDR_SIZE) {
    return { family: 0, dstLen: 0, srcLen: 0, tos: 0, table: 0, action: 0, flags: 0,
      problems: [new NetlinkDecodeError('struct fib_rule_hdr cut short', base, CONTEXT)] };
  }
  const family = d[base];
  const rule: Rule = {
    family, dstLen: d[base + 1], srcLen: d[base + 2], tos: d[base + 3], table: d[base + 4], action: d[base + 7],
    flags: d.readUInt32LE(base + 8),
  };
  const c = new AttributeCursor(d, base + FIB_RULE_HDR_SIZE, end, CONTEXT);
  for (;;) {
    try {
      while (c.next()) {
        switch (c.type) {
          case FRA_DST: rule.dst = formatAddress(family, d, c.offset, c.length, CONTEXT); break;
          case FRA_SRC: rule.src = formatAddress(family, d, c.offset, c.length, CONTEXT); break;
          case FRA_IIFNAME: rule.iifname = c.string(); break;
          case FRA_OIFNAME: rule.oifname = c.string(); break;
          case FRA_GOTO: rule.goto = c.u32(); break;
          case FRA_PRIORITY: rule.priority = c.u32(); break;
          case FRA_FWMARK: rule.fwmark = c.u32(); break;
          case FRA_FWMASK: rule.fwmask = c.u32(); break;
          case FRA_FLOW: rule.flow = c.u32(); break;
          case FRA_TUN_ID: rule.tunId = (c.u64(), d.readBigUInt64BE(c.offset)); break;
          case FRA_SUPPRESS_IFGROUP: rule.suppressIfgroup = c.s32(); break;
          case FRA_SUPPRESS_PREFIXLEN: rule.suppressPrefixlen = c.s32(); break;
          case FRA_TABLE: rule.table = c.u32(); break;
          case FRA_L3MDEV: rule.l3mdev = c.u8(); break;
          case FRA_UID_RANGE: rule.uidRange = range(c, 4); break;
          case FRA_PROTOCOL: rule.protocol = c.u8(); break;
          case FRA_IP_PROTO: rule.ipProto = c.u8(); break;
          case FRA_SPORT_RANGE: rule.sportRange = range(c, 2); break;
          case FRA_DPORT_RANGE: rule.dportRange = range(c, 2); break;
          case FRA_PAD: break;
          default: (rule.unknown ??= []).push(rawAttribute(c));
        }
      }
      break;
    } catch (error) {
      if (!(error instanceof NetlinkDecodeError)) throw error;
      (rule.problems ??= []).push(error);
    }
  }
  if (c.error) (rule.problems ??= []).push(c.error);
  return rule;
}

/**
 * matchRule applies `filter` to a decoded rule.
 *
 * @example
 * matchRule(rule, { table: 'main' });
 */
export function matchRule(rule: Rule, filter: RuleFilter): boolean {
  if (filter.family === 'inet' && rule.family !== AF_INET) return false;
  if (filter.family === 'inet6' && rule.family !== AF_INET6) return false;
  const table = filter.table === 'main' ? RT_TABLE_MAIN : filter.table === 'local' ? RT_TABLE_LOCAL
    : filter.table === 'all' ? 0 : filter.table ?? 0;
  return table === 0 || rule.table === table;
}

/**
 * ruleSelector returns what `rules(filter)` does with each reply message of
 * its dump: the decoded rule, or undefined for a message that is not an
 * RTM_NEWRULE or a rule `filter` does not match (the kernel filters rules
 * by family only).
 *
 * @example
 * const select = ruleSelector({ family: 'inet', table: 'main' });
 * for (const msg of batch) {
 *   const rule = select(msg);
 *   if (rule) console.log(rule.priority);
 * }
 */
export function ruleSelector(filter: RuleFilter = {}): (msg: NetlinkMessage) => Rule | undefined {
  return (msg) => {
    if (msg.type !== RTM_NEWRULE) return undefined;
    const rule = decodeRule(msg);
    return matchRule(rule, filter) ? rule : undefined;
  };
}
