/**
 * `ip nexthop` output: a nexthop object as the JSON object of `ip -j nexthop
 * show` (iproute2 6.1's print_nexthop) or as its text line.
 */
import type { ObjectFormat } from './object-output.js';
import type { Nexthop, NexthopResilientGroup } from '../route/nexthop-decode.js';
import { NEXTHOP_GRP_TYPE_MPATH, NEXTHOP_GRP_TYPE_RES } from '../route/nexthop-decode.js';
import { RTPROT_UNSPEC, RT_SCOPE_UNIVERSE } from '../route/route-constants.js';
import type { LinkNames } from './link-names.js';
import { familyColor, paint } from './ip-color.js';
import { printfG } from './printf-g.js';
import { routeFlagNames } from './route-format.js';
import { routeProtocols, routeScopes } from './route-names.js';

/**
 * The fields print_nexthop prints, in order: JSON key and value, and text.
 * A `raw` value is JSON text already (numbers as ip's `%g` writes them).
 */
type Field = readonly [key: string, json: unknown, text: string, raw?: 'raw'];

/** USER_HZ: the kernel gives the resilient group's timers in clock ticks. */
const HZ = 100;

/**
 * seconds is how ip prints a time in clock ticks (__jiffies_to_tv, then
 * print_tv's `%g`).
 *
 * @example
 * seconds(12000); // '120'
 */
export function seconds(ticks: number | bigint): string {
  return printfG(Number(ticks) / HZ);
}

/** print_nh_res_group(): `resilient_args`, zero for what the kernel left out. */
function resilientField(res: NexthopResilientGroup): Field {
  const buckets = res.buckets ?? 0;
  const idle = seconds(res.idleTimer ?? 0);
  const unbalancedTimer = seconds(res.unbalancedTimer ?? 0);
  const unbalancedTime = seconds(res.unbalancedTime ?? 0);
  return ['resilient_args',
    `{"buckets":${buckets},"idle_timer":${idle},"unbalanced_timer":${unbalancedTimer},"unbalanced_time":${unbalancedTime}}`,
    `buckets ${buckets} idle_timer ${idle} unbalanced_timer ${unbalancedTimer} unbalanced_time ${unbalancedTime} `, 'raw'];
}

/**
 * nexthopFields lists what `ip nexthop show` prints for `nh`.
 *
 * @example
 * nexthopFields(nh, links, false)[0]; // ['id', 1, 'id 1 ']
 */
export function nexthopFields(nh: Nexthop, links: LinkNames, details: boolean, color = false): Field[] {
  const f: Field[] = [];
  f.push(['id', nh.id ?? 0, `id ${nh.id ?? 0} `]);
  if (nh.group) {
    f.push(['group', nh.group.map((m) => (m.weight > 1 ? { id: m.id, weight: m.weight } : { id: m.id })),
      `group ${nh.group.map((m) => (m.weight > 1 ? `${m.id},${m.weight}` : `${m.id}`)).join('/')} `]);
  }
  if (nh.groupType !== undefined && nh.groupType !== NEXTHOP_GRP_TYPE_MPATH) {
    const type = nh.groupType === NEXTHOP_GRP_TYPE_RES ? 'resilient' : '<unknown type>';
    f.push(['type', type, `type ${type} `]);
  }
  if (nh.resilient) f.push(resilientField(nh.resilient));
  if (nh.gateway !== undefined) f.push(['gateway', nh.gateway, `via ${paint(color, familyColor(nh.family), `${nh.gateway} `)}`]);
  if (nh.oif) f.push(['dev', links.name(nh.oif), `dev ${paint(color, 'ifname', `${links.name(nh.oif)} `)}`]);
  if (nh.scope !== RT_SCOPE_UNIVERSE || details) {
    const scope = routeScopes().name(nh.scope);
    f.push(['scope', scope, `scope ${scope} `]);
  }
  if (nh.blackhole) f.push(['blackhole', null, 'blackhole ']);
  if (nh.protocol !== RTPROT_UNSPEC || details) {
    const proto = routeProtocols().name(nh.protocol);
    f.push(['protocol', proto, `proto ${proto} `]);
  }
  const flags = routeFlagNames(nh.flags);
  f.push(['flags', flags, flags.map((n) => `${n} `).join('')]);
  if (nh.fdb) f.push(['fdb', null, 'fdb']);
  return f;
}

/**
 * nexthopJson is the JSON object `ip -j nexthop show` prints for `nh`.
 *
 * @example
 * nexthopJson(nh, links, false); // '{"id":2,"blackhole":null,"flags":[]}'
 */
export function nexthopJson(nh: Nexthop, links: LinkNames, details: boolean): string {
  return `{${nexthopFields(nh, links, details).map(([key, value, , raw]) => `${JSON.stringify(key)}:${raw ? String(value) : JSON.stringify(value)}`).join(',')}}`;
}

/**
 * nexthopText is the line `ip nexthop show` prints for `nh`.
 *
 * @example
 * nexthopText(nh, links, false); // 'id 2 blackhole \n'
 */
export function nexthopText(nh: Nexthop, links: LinkNames, details: boolean, color = false): string {
  return `${nexthopFields(nh, links, details, color).map(([, , text]) => text).join('')}\n`;
}

/**
 * nexthopFormat is how `nlrx nexthop show` prints a nexthop.
 *
 * @example
 * nexthopFormat(links, false).text(nh); // 'id 1 via 10.1.0.2 dev v0 scope link \n'
 */
export function nexthopFormat(links: LinkNames, details: boolean, color = false): ObjectFormat<Nexthop> {
  return { json: (nh) => nexthopJson(nh, links, details), text: (nh) => nexthopText(nh, links, details, color) };
}
