/**
 * Policy routing rules (RTM_GETRULE / RTM_NEWRULE, struct fib_rule_hdr +
 * FRA_* attributes, <linux/fib_rules.h>): the type, its description (from
 * which the decoder and the dump request follow) and the selector, without
 * RxJS — `nlrx rule show` loads this module alone; rule.ts re-exports it with
 * `rules()`.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { address, be64, custom, s32, string, u32, u8 } from '../codec/attribute-type.js';
import { struct } from '../codec/compile-decoder.js';
import { NETLINK_ROUTE, type NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { familyName, familyNumber, type InetFamily } from './address-decode.js';
import { AF_UNSPEC, RTM_GETRULE, RTM_NEWRULE } from './constants.js';
import { parseInetPrefix, prefixMatchesText, type InetPrefix } from './inet-prefix.js';
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
 * checked rule dump but the family, so everything else is applied in
 * JavaScript (and is not part of the request), with the meaning `ip rule
 * show` gives each selector (iprule.c filter_nlmsg): a selector that is
 * absent selects every rule.
 *
 * @example
 * rules({ family: 'inet6', table: 'main' });
 * rules({ src: '10.0.0.0/8', fwmark: 0x10 }); // rules from within 10/8 that match fwmark 0x10
 */
export interface RuleFilter {
  family?: InetFamily;
  table?: number | 'main' | 'local' | 'all';
  /**
   * `from PREFIX`: rules whose source prefix lies within this one, of its
   * family and at least as long ("all" selects every rule of the family).
   */
  src?: string;
  /** `to PREFIX`: the same for the destination prefix. */
  dst?: string;
  /** `pref N`: the rule's priority (a rule without FRA_PRIORITY has 0). */
  priority?: number;
  /** `not`: only inverted rules (FIB_RULE_INVERT). */
  not?: boolean;
  /** `tos T`: the header's tos / dsfield. */
  tos?: number;
  /** `fwmark M`: FRA_FWMARK (0 when absent). */
  fwmark?: number;
  /** `fwmark M/MASK`: FRA_FWMASK (0 when absent). */
  fwmask?: number;
  /** `iif NAME`: FRA_IIFNAME. */
  iifname?: string;
  /** `oif NAME`: FRA_OIFNAME. */
  oifname?: string;
  /** `l3mdev`: rules that look up the l3mdev table. */
  l3mdev?: boolean;
  /** `uidrange A-B`: exactly this FRA_UID_RANGE. */
  uidRange?: RuleRange;
  /** `ipproto P`: FRA_IP_PROTO (0 when absent). */
  ipProto?: number;
  /** `sport A[-B]`: exactly this FRA_SPORT_RANGE. */
  sportRange?: RuleRange;
  /** `dport A[-B]`: exactly this FRA_DPORT_RANGE. */
  dportRange?: RuleRange;
  /** `tun_id N`: FRA_TUN_ID. */
  tunId?: bigint;
  /**
   * FRA_PROTOCOL, who installed the rule. `ip rule show protocol P` accepts
   * this selector but, in iproute2 6.1, applies it only when flushing.
   */
  protocol?: number;
}

/** struct fib_rule_uid_range / fib_rule_port_range: two u32 or two u16, growing at their end in a newer kernel. */
const uidRange = custom<RuleRange>('struct fib_rule_uid_range',
  (d, at) => ({ start: d.readUInt32LE(at), end: d.readUInt32LE(at + 4) }), { minSize: 8 });
const portRange = custom<RuleRange>('struct fib_rule_port_range',
  (d, at) => ({ start: d.readUInt16LE(at), end: d.readUInt16LE(at + 2) }), { minSize: 4 });

/** struct fib_rule_hdr (<linux/fib_rules.h>); res1 and res2 carry nothing. */
const fibRuleHdr = struct('struct fib_rule_hdr', FIB_RULE_HDR_SIZE, {
  family: [0, u8],
  dstLen: [1, u8],
  srcLen: [2, u8],
  tos: [3, u8],
  table: [4, u8],
  action: [7, u8],
  flags: [8, u32],
});

const ruleAddress = address('family', formatAddress);

/** The FRA_* attributes of a rule. FRA_TABLE overrides the header's table, so tables above 255 are exact. */
const ruleAttributes = attributeSet('rule', {
  dst: attr(FRA_DST, ruleAddress),
  src: attr(FRA_SRC, ruleAddress),
  iifname: attr(FRA_IIFNAME, string),
  goto: attr(FRA_GOTO, u32),
  priority: attr(FRA_PRIORITY, u32),
  fwmark: attr(FRA_FWMARK, u32),
  flow: attr(FRA_FLOW, u32),
  tunId: attr(FRA_TUN_ID, be64),
  suppressIfgroup: attr(FRA_SUPPRESS_IFGROUP, s32),
  suppressPrefixlen: attr(FRA_SUPPRESS_PREFIXLEN, s32),
  table: attr(FRA_TABLE, u32),
  fwmask: attr(FRA_FWMASK, u32),
  oifname: attr(FRA_OIFNAME, string),
  l3mdev: attr(FRA_L3MDEV, u8),
  uidRange: attr(FRA_UID_RANGE, uidRange),
  protocol: attr(FRA_PROTOCOL, u8),
  ipProto: attr(FRA_IP_PROTO, u8),
  sportRange: attr(FRA_SPORT_RANGE, portRange),
  dportRange: attr(FRA_DPORT_RANGE, portRange),
}, { ignore: [FRA_PAD] });

/**
 * ruleMessage is RTM_NEWRULE described: struct fib_rule_hdr and the FRA_*
 * attributes. Its `decode` is `decodeRule`; its `encode` writes the dump
 * request (which carries the family alone).
 *
 * @example
 * const rule = ruleMessage.decode(msg);
 */
export const ruleMessage: MessageDescription<Rule> = describeMessage<Rule>('RTM_NEWRULE', fibRuleHdr, ruleAttributes);

/**
 * ruleRequest builds the RTM_GETRULE dump request: the family is the only
 * thing a rule dump request may carry.
 *
 * @example
 * dump(ruleRequest({ family: 'inet' }), { strictCheck: true });
 */
export function ruleRequest(filter: RuleFilter = {}): DumpRequest {
  return { protocol: NETLINK_ROUTE, type: RTM_GETRULE, payload: ruleMessage.encode({ family: familyNumber(filter.family) }) };
}

/**
 * decodeRuleRequest reads back the part of a filter a rule dump request
 * carries (the family): `decodeRuleRequest(ruleRequest(f).payload)` equals
 * `{ family: f.family }`. A payload shorter than struct fib_rule_hdr, or with
 * malformed attributes, throws a `NetlinkDecodeError`.
 *
 * @example
 * decodeRuleRequest(ruleRequest({ family: 'inet6' }).payload); // { family: 'inet6' }
 */
export function decodeRuleRequest(payload: Uint8Array): RuleFilter {
  const request = ruleMessage.decodePayload(payload);
  if (request.problems) throw request.problems[0];
  const family = familyName(request.family);
  return family ? { family } : {};
}

/**
 * decodeRule decodes an RTM_NEWRULE (or RTM_DELRULE) message. A malformed
 * attribute is recorded in `problems` and skipped; unknown ones are kept in
 * `unknown`. Only a message shorter than struct fib_rule_hdr throws
 * (`NetlinkDecodeError`): it cannot be a rule.
 *
 * @example
 * dump(ruleRequest()).pipe(map(decodeRule));
 */
export function decodeRule(msg: NetlinkMessage): Rule {
  return ruleMessage.decode(msg);
}

/** A range selector: the rule must carry exactly this range. */
function sameRange(want: RuleRange | undefined, have: RuleRange | undefined): boolean {
  return want === undefined || (have !== undefined && have.start === want.start && have.end === want.end);
}

/** A prefix selector: the rule's prefix is of its family, at least as long, and lies within it. */
function withinPrefix(want: InetPrefix | undefined, family: number, length: number, address: string | undefined): boolean {
  if (want === undefined || want.family === AF_UNSPEC) return true;
  return want.family === family && want.bitlen <= length && prefixMatchesText(want, address);
}

/** The prefix selectors of `filter`, parsed once (an unreadable one selects nothing). */
interface ParsedPrefixes {
  src?: InetPrefix | null;
  dst?: InetPrefix | null;
}

function parsePrefixes(filter: RuleFilter): ParsedPrefixes {
  const family = familyNumber(filter.family);
  return {
    src: filter.src === undefined ? undefined : parseInetPrefix(filter.src, family) ?? null,
    dst: filter.dst === undefined ? undefined : parseInetPrefix(filter.dst, family) ?? null,
  };
}

function matchParsed(rule: Rule, filter: RuleFilter, prefixes: ParsedPrefixes): boolean {
  if (filter.family !== undefined && rule.family !== familyNumber(filter.family)) return false;
  if (filter.priority !== undefined && (rule.priority ?? 0) !== filter.priority) return false;
  if (filter.not && (rule.flags & FIB_RULE_INVERT) === 0) return false;
  if (prefixes.src === null || prefixes.dst === null) return false;
  if (!withinPrefix(prefixes.src, rule.family, rule.srcLen, rule.src)) return false;
  if (!withinPrefix(prefixes.dst, rule.family, rule.dstLen, rule.dst)) return false;
  if (filter.tos !== undefined && rule.tos !== filter.tos) return false;
  if (filter.fwmark !== undefined && (rule.fwmark ?? 0) !== filter.fwmark) return false;
  if (filter.fwmask !== undefined && (rule.fwmask ?? 0) !== filter.fwmask) return false;
  if (filter.iifname !== undefined && rule.iifname !== filter.iifname) return false;
  if (filter.oifname !== undefined && rule.oifname !== filter.oifname) return false;
  if (filter.l3mdev && !rule.l3mdev) return false;
  if (!sameRange(filter.uidRange, rule.uidRange)) return false;
  if (filter.ipProto !== undefined && (rule.ipProto ?? 0) !== filter.ipProto) return false;
  if (!sameRange(filter.sportRange, rule.sportRange) || !sameRange(filter.dportRange, rule.dportRange)) return false;
  if (filter.tunId !== undefined && rule.tunId !== filter.tunId) return false;
  if (filter.protocol !== undefined && (rule.protocol ?? 0) !== filter.protocol) return false;
  const table = filter.table === 'main' ? RT_TABLE_MAIN : filter.table === 'local' ? RT_TABLE_LOCAL
    : filter.table === 'all' ? 0 : filter.table ?? 0;
  return table === 0 || rule.table === table;
}

/**
 * matchRule applies `filter` to a decoded rule, as `ip rule show` applies
 * its selectors.
 *
 * @example
 * matchRule(rule, { table: 'main' });
 * matchRule(rule, { src: '10.0.0.0/8', not: true });
 */
export function matchRule(rule: Rule, filter: RuleFilter): boolean {
  return matchParsed(rule, filter, parsePrefixes(filter));
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
  const prefixes = parsePrefixes(filter);
  return (msg) => {
    if (msg.type !== RTM_NEWRULE) return undefined;
    const rule = decodeRule(msg);
    return matchParsed(rule, filter, prefixes) ? rule : undefined;
  };
}
