/**
 * `ip rule` output: a rule as the JSON object of `ip -j rule show`
 * (iproute2 6.1's print_rule) or as its text line.
 */
import type { ObjectFormat } from './object-output.js';
import type { Rule } from '../route/rule-decode.js';
import { FIB_RULE_IIF_DETACHED, FIB_RULE_INVERT, FIB_RULE_OIF_DETACHED, FIB_RULE_UNRESOLVED, FR_ACT_GOTO, FR_ACT_NOP,
  FR_ACT_TO_TBL } from '../route/rule-decode.js';
import { AF_INET, AF_INET6 } from '../route/constants.js';
import { familyColor, paint } from './ip-color.js';
import { RTN_NAT, RTPROT_KERNEL } from '../route/route-constants.js';
import { dsfieldName, interfaceGroups, ipProtocolName, routeProtocols, routeRealms, routeTables,
  routeTypeName } from './route-names.js';

/** One field of a rule as `ip` prints it: its JSON key and value, and its text. */
type Field = readonly [key: string, json: string | number | null, text: string];

function hex0x(value: number): string {
  return value === 0 ? '0' : `0x${value.toString(16)}`;
}

function hostLength(family: number): number {
  return family === AF_INET ? 32 : family === AF_INET6 ? 128 : 0;
}

/**
 * ruleFields lists what print_rule prints for `rule`, in its order.
 *
 * @example
 * ruleFields(rule, false)[0]; // ['priority', 0, '0:\t']
 */
export function ruleFields(rule: Rule, details: boolean, color = false): Field[] {
  const f: Field[] = [];
  const address = (text: string) => paint(color, familyColor(rule.family), text);
  const ifname = (text: string) => paint(color, 'ifname', text);
  const host = hostLength(rule.family);
  const prio = rule.priority ?? 0;
  f.push(['priority', prio, `${prio}:\t`]);
  if (rule.flags & FIB_RULE_INVERT) f.push(['not', null, 'not ']);
  if (rule.src !== undefined) {
    f.push(['src', rule.src, `from ${address(rule.src)}`]);
    if (rule.srcLen !== host) f.push(['srclen', rule.srcLen, `/${rule.srcLen}`]);
  } else if (rule.srcLen) {
    f.push(['src', '0', 'from 0'], ['srclen', rule.srcLen, `/${rule.srcLen}`]);
  } else f.push(['src', 'all', 'from all']);
  if (rule.dst !== undefined) {
    f.push(['dst', rule.dst, ` to ${address(rule.dst)}`]);
    if (rule.dstLen !== host) f.push(['dstlen', rule.dstLen, `/${rule.dstLen}`]);
  } else if (rule.dstLen) {
    f.push(['dst', '0', ' to 0'], ['dstlen', rule.dstLen, `/${rule.dstLen}`]);
  }
  if (rule.tos) f.push(['tos', dsfieldName(rule.tos), ` tos ${dsfieldName(rule.tos)}`]);
  if (rule.fwmark !== undefined || rule.fwmask !== undefined) {
    const mark = rule.fwmark ?? 0;
    f.push(['fwmark', hex0x(mark), ` fwmark ${hex0x(mark)}`]);
    if (rule.fwmask !== undefined && rule.fwmask !== 0xffffffff) f.push(['fwmask', hex0x(rule.fwmask), `/${hex0x(rule.fwmask)}`]);
  }
  if (rule.iifname !== undefined) {
    f.push(['iif', rule.iifname, ` iif ${ifname(rule.iifname)}`]);
    if (rule.flags & FIB_RULE_IIF_DETACHED) f.push(['iif_detached', null, ' [detached]']);
  }
  if (rule.oifname !== undefined) {
    f.push(['oif', rule.oifname, ` oif ${ifname(rule.oifname)}`]);
    if (rule.flags & FIB_RULE_OIF_DETACHED) f.push(['oif_detached', null, ' [detached]']);
  }
  if (rule.l3mdev) f.push(['l3mdev', null, ' lookup [l3mdev-table]']);
  if (rule.uidRange) {
    f.push(['uid_start', rule.uidRange.start, ` uidrange ${rule.uidRange.start}`],
      ['uid_end', rule.uidRange.end, `-${rule.uidRange.end}`]);
  }
  if (rule.ipProto !== undefined) f.push(['ipproto', ipProtocolName(rule.ipProto), ` ipproto ${ipProtocolName(rule.ipProto)}`]);
  for (const [name, range] of [['sport', rule.sportRange], ['dport', rule.dportRange]] as const) {
    if (!range) continue;
    if (range.start === range.end) f.push([name, range.start, ` ${name} ${range.start}`]);
    else f.push([`${name}_start`, range.start, ` ${name} ${range.start}`], [`${name}_end`, range.end, `-${range.end}`]);
  }
  if (rule.tunId !== undefined) f.push(['tun_id', Number(rule.tunId), ` tun_id ${rule.tunId}`]);
  if (rule.table) {
    const table = routeTables().name(rule.table);
    f.push(['table', table, ` lookup ${table}`]);
    if (rule.suppressPrefixlen !== undefined && rule.suppressPrefixlen !== -1) {
      f.push(['suppress_prefixlen', rule.suppressPrefixlen, ` suppress_prefixlength ${rule.suppressPrefixlen}`]);
    }
    if (rule.suppressIfgroup !== undefined && rule.suppressIfgroup !== -1) {
      const group = interfaceGroups().name(rule.suppressIfgroup);
      f.push(['suppress_ifgroup', group, ` suppress_ifgroup ${group}`]);
    }
  }
  if (rule.flow !== undefined) {
    const from = rule.flow >>> 16;
    const to = routeRealms().name(rule.flow & 0xffff);
    if (from) f.push(['flow_from', routeRealms().name(from), ` realms ${routeRealms().name(from)}/`]);
    f.push(['flow_to', to, `${from ? '' : ' realms '}${to}`]);
  }
  if (rule.action === RTN_NAT) {
    f.push(['masquerade', null, ' masquerade']);
  } else if (rule.action === FR_ACT_GOTO) {
    if (rule.goto !== undefined) f.push(['goto', rule.goto, ` goto ${rule.goto}`]);
    else f.push(['goto', 'none', ' goto none']);
    if (rule.flags & FIB_RULE_UNRESOLVED) f.push(['unresolved', null, ' [unresolved]']);
  } else if (rule.action === FR_ACT_NOP) {
    f.push(['nop', null, ' nop']);
  } else if (rule.action !== FR_ACT_TO_TBL) {
    f.push(['action', routeTypeName(rule.action), ` ${routeTypeName(rule.action)}`]);
  }
  if (rule.protocol !== undefined && ((rule.protocol && rule.protocol !== RTPROT_KERNEL) || details)) {
    const proto = routeProtocols().name(rule.protocol);
    f.push(['protocol', proto, ` proto ${proto}`]);
  }
  return f;
}

/**
 * ruleJson is the JSON object `ip -j rule show` prints for `rule`.
 *
 * @example
 * ruleJson(rule, false); // '{"priority":0,"src":"all","table":"local"}'
 */
export function ruleJson(rule: Rule, details: boolean): string {
  return `{${ruleFields(rule, details).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
}

/**
 * ruleText is the line `ip rule show` prints for `rule`.
 *
 * @example
 * ruleText(rule, false); // '0:\tfrom all lookup local\n'
 */
export function ruleText(rule: Rule, details: boolean, color = false): string {
  return `${ruleFields(rule, details, color).map(([, , text]) => text).join('')}\n`;
}

/**
 * ruleFormat is how `nlrx rule show` prints a rule.
 *
 * @example
 * ruleFormat(false).text(rule); // '0:\tfrom all lookup local\n'
 */
export function ruleFormat(details: boolean, color = false): ObjectFormat<Rule> {
  return { json: (rule) => ruleJson(rule, details), text: (rule) => ruleText(rule, details, color) };
}
