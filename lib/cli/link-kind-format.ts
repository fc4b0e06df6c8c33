/**
 * The kind details `ip -d link show` prints after a link's kind and slave
 * kind (iproute2 6.1's print_opt of each link_util: iplink_bridge.c,
 * iplink_bridge_slave.c, iplink_vxlan.c, iplink_macvlan.c, iplink_vrf.c),
 * as one list of fields that gives both the `info_data` JSON object and the
 * text, in ip's order. Kinds ip has no printer for (veth, dummy, wireguard …)
 * print their name alone and no `info_data`.
 */
import type { BridgeInfo, BridgePortInfo, LinkInfo, MacvlanInfo, VrfInfo, VxlanInfo } from '../route/link-info.js';
import type { Link } from '../route/link-decode.js';
import {
  MACVLAN_FLAG_NODST, MACVLAN_FLAG_NOPROMISC, MACVLAN_MODE_BRIDGE, MACVLAN_MODE_PASSTHRU, MACVLAN_MODE_PRIVATE,
  MACVLAN_MODE_SOURCE, MACVLAN_MODE_VEPA,
} from '../route/link-kinds.js';
import { inetBytes } from '../codec/address-text.js';
import { rawJsonNumber } from './object-output.js';

/** A JSON value as `ip -j` prints it (link-format.ts's Json, restated: that module imports this one). */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One kind's details: the `info_data` (or `info_slave_data`) object and the text after the kind's name. */
export interface KindDetails {
  json: JsonObject;
  text: string;
}

/** Collects fields as ip's print_*(PRINT_ANY | PRINT_JSON | PRINT_FP, …) calls do. */
class Fields implements KindDetails {
  json: JsonObject = {};
  text = '';
  /** PRINT_ANY: a JSON member and its text. */
  any(key: string, value: JsonObject[string], text: string): void {
    this.json[key] = value;
    this.text += text;
  }
  /** PRINT_JSON only. */
  jsonOnly(key: string, value: JsonObject[string]): void {
    this.json[key] = value;
  }
  /** PRINT_FP only. */
  textOnly(text: string): void {
    this.text += text;
  }
}

const onOff = (on: boolean | undefined) => (on ? 'on' : 'off');
/** C's `%#x`: `0` for zero, `0x…` otherwise. */
const altHex = (n: number) => (n === 0 ? '0' : `0x${n.toString(16)}`);

/** _bridge_print_timer(): centiseconds as `S.CC`, `%4i.%.2i` in text. */
function timer(f: Fields, name: string, value: number | undefined): void {
  if (value === undefined) return;
  const seconds = Math.floor(value / 100);
  const hundredths = String(value % 100).padStart(2, '0');
  f.any(name, rawJsonNumber(`${seconds}.${hundredths}`), `${name} ${String(seconds).padStart(4)}.${hundredths} `);
}

/** ll_proto_n2a() for the two VLAN protocols a bridge speaks. */
function vlanProtocolName(proto: number): string {
  if (proto === 0x8100) return '802.1Q';
  if (proto === 0x88a8) return '802.1ad';
  return `0x${proto.toString(16).padStart(4, '0')}`;
}

function bridgeDetails(b: BridgeInfo): Fields {
  const f = new Fields();
  const num = (key: string, value: number | undefined, label = key) => {
    if (value !== undefined) f.any(key, value, `${label} ${value} `);
  };
  num('forward_delay', b.forwardDelay);
  num('hello_time', b.helloTime);
  num('max_age', b.maxAge);
  num('ageing_time', b.ageingTime);
  num('stp_state', b.stpState);
  num('priority', b.priority);
  num('vlan_filtering', b.vlanFiltering);
  if (b.vlanProtocol !== undefined) {
    const name = vlanProtocolName(b.vlanProtocol);
    f.any('vlan_protocol', name, `vlan_protocol ${name} `);
  }
  if (b.bridgeId !== undefined) f.any('bridge_id', b.bridgeId, `bridge_id ${b.bridgeId} `);
  if (b.rootId !== undefined) f.any('root_id', b.rootId, `designated_root ${b.rootId} `);
  num('root_port', b.rootPort);
  num('root_path_cost', b.rootPathCost);
  num('topology_change', b.topologyChange);
  num('topology_change_detected', b.topologyChangeDetected);
  timer(f, 'hello_timer', b.helloTimer);
  timer(f, 'tcn_timer', b.tcnTimer);
  timer(f, 'topology_change_timer', b.topologyChangeTimer);
  timer(f, 'gc_timer', b.gcTimer);
  num('vlan_default_pvid', b.vlanDefaultPvid);
  num('vlan_stats_enabled', b.vlanStatsEnabled);
  num('vlan_stats_per_port', b.vlanStatsPerPort);
  if (b.groupFwdMask !== undefined) f.any('group_fwd_mask', altHex(b.groupFwdMask), `group_fwd_mask ${altHex(b.groupFwdMask)} `);
  if (b.groupAddr !== undefined) f.any('group_addr', b.groupAddr, `group_address ${b.groupAddr} `);
  num('mcast_snooping', b.mcastSnooping);
  if (b.multiBoolopt !== undefined) {
    // BR_BOOLOPT_NO_LL_LEARN (bit 0) and BR_BOOLOPT_MCAST_VLAN_SNOOPING (bit 1), when the kernel reports them.
    const { optval, optmask } = b.multiBoolopt;
    if (optmask & 1) num('no_linklocal_learn', optval & 1 ? 1 : 0);
    if (optmask & 2) num('mcast_vlan_snooping', optval & 2 ? 1 : 0);
  }
  num('mcast_router', b.mcastRouter);
  num('mcast_query_use_ifaddr', b.mcastQueryUseIfaddr);
  num('mcast_querier', b.mcastQuerier);
  num('mcast_hash_elasticity', b.mcastHashElasticity);
  num('mcast_hash_max', b.mcastHashMax);
  num('mcast_last_member_cnt', b.mcastLastMemberCnt, 'mcast_last_member_count');
  num('mcast_startup_query_cnt', b.mcastStartupQueryCnt, 'mcast_startup_query_count');
  num('mcast_last_member_intvl', b.mcastLastMemberIntvl, 'mcast_last_member_interval');
  num('mcast_membership_intvl', b.mcastMembershipIntvl, 'mcast_membership_interval');
  num('mcast_querier_intvl', b.mcastQuerierIntvl, 'mcast_querier_interval');
  num('mcast_query_intvl', b.mcastQueryIntvl, 'mcast_query_interval');
  num('mcast_query_response_intvl', b.mcastQueryResponseIntvl, 'mcast_query_response_interval');
  num('mcast_startup_query_intvl', b.mcastStartupQueryIntvl, 'mcast_startup_query_interval');
  num('mcast_stats_enabled', b.mcastStatsEnabled);
  num('mcast_igmp_version', b.mcastIgmpVersion);
  num('mcast_mld_version', b.mcastMldVersion);
  num('nf_call_iptables', b.nfCallIptables);
  num('nf_call_ip6tables', b.nfCallIp6tables);
  num('nf_call_arptables', b.nfCallArptables);
  return f;
}

const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

function bridgePortDetails(p: BridgePortInfo, name: (ifindex: number) => string): Fields {
  const f = new Fields();
  const num = (key: string, value: number | undefined, label = key) => {
    if (value !== undefined) f.any(key, value, `${label} ${value} `);
  };
  const flag = (key: string, value: boolean | undefined, label = key) => {
    if (value !== undefined) f.any(key, value, `${label} ${onOff(value)} `);
  };
  if (p.state !== undefined) {
    const state = PORT_STATES[p.state] ?? String(p.state);
    f.any('state', state, `state ${state} `);
  }
  num('priority', p.priority);
  num('cost', p.cost);
  flag('hairpin', p.mode);
  flag('guard', p.guard);
  flag('root_block', p.protect);
  flag('fastleave', p.fastLeave);
  flag('learning', p.learning);
  flag('flood', p.flood);
  if (p.id !== undefined) f.any('id', `0x${p.id.toString(16)}`, `port_id 0x${p.id.toString(16)} `);
  if (p.no !== undefined) f.any('no', `0x${p.no.toString(16)}`, `port_no 0x${p.no.toString(16)} `);
  num('designated_port', p.designatedPort);
  num('designated_cost', p.designatedCost);
  if (p.bridgeId !== undefined) f.any('bridge_id', p.bridgeId, `designated_bridge ${p.bridgeId} `);
  if (p.rootId !== undefined) f.any('root_id', p.rootId, `designated_root ${p.rootId} `);
  timer(f, 'hold_timer', p.holdTimer);
  timer(f, 'message_age_timer', p.messageAgeTimer);
  timer(f, 'forward_delay_timer', p.forwardDelayTimer);
  num('topology_change_ack', p.topologyChangeAck);
  num('config_pending', p.configPending);
  flag('proxy_arp', p.proxyarp);
  flag('proxy_arp_wifi', p.proxyarpWifi);
  num('multicast_router', p.multicastRouter, 'mcast_router');
  // ip prints fast leave a second time, in text only.
  if (p.fastLeave !== undefined) f.textOnly(`mcast_fast_leave ${onOff(p.fastLeave)} `);
  flag('mcast_flood', p.mcastFlood);
  flag('bcast_flood', p.bcastFlood);
  flag('mcast_to_unicast', p.mcastToUcast);
  flag('neigh_suppress', p.neighSuppress);
  if (p.groupFwdMask !== undefined) {
    f.any('group_fwd_mask', altHex(p.groupFwdMask), `group_fwd_mask ${altHex(p.groupFwdMask)} `);
    const str = `0x${p.groupFwdMask.toString(16)}`;
    f.any('group_fwd_mask_str', str, `group_fwd_mask_str ${str} `);
  }
  flag('vlan_tunnel', p.vlanTunnel);
  if (p.backupPort !== undefined) f.any('backup_port', name(p.backupPort), `backup_port ${name(p.backupPort)} `);
  flag('isolated', p.isolated);
  flag('locked', p.locked);
  return f;
}

const isMulticast4 = (text: string) => (inetBytes(text)?.[0] ?? 0) >> 4 === 14;
const isMulticast6 = (text: string) => text.toLowerCase().startsWith('ff');
const unspecified = (text: string) => text === '0.0.0.0' || text === '::';

function vxlanDetails(v: VxlanInfo, name: (ifindex: number) => string): Fields {
  const f = new Fields();
  if (v.collectMetadata) f.any('external', true, 'external ');
  if (v.vnifilter) f.any('vnifilter', true, 'vnifilter');
  if (v.id !== undefined) f.any('id', v.id, `id ${v.id} `);
  if (v.group !== undefined) {
    if (!unspecified(v.group)) {
      const key = isMulticast4(v.group) ? 'group' : 'remote';
      f.any(key, v.group, `${key} ${v.group} `);
    }
  } else if (v.group6 !== undefined && !unspecified(v.group6)) {
    const multicast = isMulticast6(v.group6);
    f.any(multicast ? 'group6' : 'remote6', v.group6, `${multicast ? 'group' : 'remote'} ${v.group6} `);
  }
  if (v.local !== undefined) {
    if (!unspecified(v.local)) f.any('local', v.local, `local ${v.local} `);
  } else if (v.local6 !== undefined && !unspecified(v.local6)) f.any('local6', v.local6, `local ${v.local6} `);
  if (v.link) f.any('link', name(v.link), `dev ${name(v.link)} `);
  if (v.portRange !== undefined) {
    f.jsonOnly('port_range', { low: v.portRange.low, high: v.portRange.high });
    f.textOnly(`srcport ${v.portRange.low} ${v.portRange.high} `);
  }
  if (v.port !== undefined) f.any('port', v.port, `dstport ${v.port} `);
  if (v.learning !== undefined) {
    f.jsonOnly('learning', v.learning !== 0);
    if (!v.learning) f.textOnly('nolearning ');
  }
  if (v.proxy) f.any('proxy', true, 'proxy ');
  if (v.rsc) f.any('rsc', true, 'rsc ');
  if (v.l2miss) f.any('l2miss', true, 'l2miss ');
  if (v.l3miss) f.any('l3miss', true, 'l3miss ');
  if (v.tos) {
    f.jsonOnly('tos', altHex(v.tos));
    f.textOnly(v.tos === 1 ? 'tos inherit ' : `tos ${altHex(v.tos)} `);
  }
  if (v.ttlInherit) f.textOnly('ttl inherit ');
  else if (v.ttl !== undefined) {
    f.jsonOnly('ttl', v.ttl);
    f.textOnly(v.ttl ? `ttl ${v.ttl} ` : 'ttl auto ');
  }
  if (v.df !== undefined) {
    if (v.df === 0) f.jsonOnly('df', 'unset');
    else if (v.df === 1) f.any('df', 'set', 'df set ');
    else if (v.df === 2) f.any('df', 'inherit', 'df inherit ');
  }
  if (v.label) f.any('label', altHex(v.label), `flowlabel ${altHex(v.label)} `);
  if (v.ageing !== undefined) f.any('ageing', v.ageing, v.ageing === 0 ? 'ageing none ' : `ageing ${v.ageing} `);
  if (v.limit) f.any('limit', v.limit, `maxaddr ${v.limit} `);
  const csum = (key: string, word: string, value: number | undefined) => {
    if (value === undefined) return;
    f.jsonOnly(key, value !== 0);
    f.textOnly(`${value ? '' : 'no'}${word} `);
  };
  csum('udp_csum', 'udpcsum', v.udpCsum);
  csum('udp_zero_csum6_tx', 'udp6zerocsumtx', v.udpZeroCsum6Tx);
  csum('udp_zero_csum6_rx', 'udp6zerocsumrx', v.udpZeroCsum6Rx);
  if (v.remcsumTx) f.any('remcsum_tx', true, 'remcsumtx ');
  if (v.remcsumRx) f.any('remcsum_rx', true, 'remcsumrx ');
  if (v.gbp) f.any('gbp', true, 'gbp ');
  if (v.gpe) f.any('gpe', true, 'gpe ');
  return f;
}

const MACVLAN_MODES: Record<number, string> = {
  [MACVLAN_MODE_PRIVATE]: 'private', [MACVLAN_MODE_VEPA]: 'vepa', [MACVLAN_MODE_BRIDGE]: 'bridge',
  [MACVLAN_MODE_PASSTHRU]: 'passthru', [MACVLAN_MODE_SOURCE]: 'source',
};

function macvlanDetails(m: MacvlanInfo): Fields {
  const f = new Fields();
  if (m.mode === undefined) return f;
  const mode = MACVLAN_MODES[m.mode] ?? 'unknown';
  f.any('mode', mode, `mode ${mode} `);
  const flags = m.flags ?? 0;
  if (flags & MACVLAN_FLAG_NOPROMISC) f.any('nopromisc', true, 'nopromisc ');
  if (flags & MACVLAN_FLAG_NODST) f.any('nodst', true, 'nodst ');
  if (m.bcQueueLen !== undefined) f.any('bcqueuelen', m.bcQueueLen, `bcqueuelen ${m.bcQueueLen} `);
  if (m.bcQueueLenUsed !== undefined) f.any('usedbcqueuelen', m.bcQueueLenUsed, `usedbcqueuelen ${m.bcQueueLenUsed} `);
  if (m.mode !== MACVLAN_MODE_SOURCE || m.macaddrCount === undefined) return f;
  f.any('macaddr_count', m.macaddrCount, `remotes (${m.macaddrCount}) `);
  if (m.macaddrData !== undefined) f.any('macaddr_data', m.macaddrData, m.macaddrData.map((a) => `${a} `).join(''));
  return f;
}

function vrfDetails(v: VrfInfo): Fields {
  const f = new Fields();
  if (v.table !== undefined) f.any('table', v.table, `table ${v.table} `);
  return f;
}

/**
 * kindDetails is what ip's link_util of the link's kind prints, or
 * undefined for a kind ip has no printer for (then there is no `info_data`).
 *
 * @example
 * kindDetails(link, (i) => names.get(i) ?? `if${i}`)?.text; // 'id 42 remote 10.0.0.2 … '
 */
export function kindDetails(link: Link, name: (ifindex: number) => string): KindDetails | undefined {
  const info: LinkInfo<Link> | undefined = link.linkinfo;
  switch (info?.kind) {
    case 'bridge': return bridgeDetails(info.bridge ?? {});
    case 'vxlan': return vxlanDetails(info.vxlan ?? {}, name);
    case 'macvlan': case 'macvtap': return macvlanDetails(info.macvlan ?? {});
    case 'vrf': return vrfDetails(info.vrf ?? {});
    default: return undefined;
  }
}

/**
 * slaveKindDetails is what ip's `<kind>_slave` link_util prints of a port,
 * or undefined for a master kind ip has no printer for.
 *
 * @example
 * slaveKindDetails(link, name)?.json.state; // 'forwarding'
 */
export function slaveKindDetails(link: Link, name: (ifindex: number) => string): KindDetails | undefined {
  const info = link.linkinfo;
  switch (info?.slaveKind) {
    case 'bridge': return bridgePortDetails(info.bridgePort ?? {}, name);
    case 'vrf': return vrfDetails(info.vrfPort ?? {});
    default: return undefined;
  }
}
