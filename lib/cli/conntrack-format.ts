/**
 * Connection tracking entries as conntrack-tools' `conntrack -L` prints them
 * (libnetfilter_conntrack's default output), byte for byte, and as
 * `nlrx -j conntrack` JSON.
 */
import type { ObjectFormat } from './object-output.js';
import type { Conntrack, ConntrackCounters, ConntrackTuple } from '../netfilter/conntrack-decode.js';
import { CONNTRACK_STATS_NAMES, type ConntrackCpuStats } from '../netfilter/conntrack-stats.js';
import {
  DCCP_CONNTRACK_NAMES, IPS_ASSURED, IPS_HW_OFFLOAD, IPS_NAMES, IPS_OFFLOAD, IPS_SEEN_REPLY, SCTP_CONNTRACK_NAMES,
  TCP_CONNTRACK_NAMES,
} from '../netfilter/netfilter-constants.js';

const AF_INET = 2;
const AF_INET6 = 10;

/** The layer-4 protocols libnetfilter_conntrack names; others print as "unknown". */
const PROTOCOLS: Readonly<Record<number, string>> = {
  1: 'icmp', 6: 'tcp', 17: 'udp', 33: 'dccp', 47: 'gre', 58: 'icmpv6', 132: 'sctp', 136: 'udplite',
};

const pad8 = (text: string) => text.padEnd(8, ' ');

/** A tuple's addresses and layer-4 part, each field followed by a space. */
function tupleText(tuple: ConntrackTuple | undefined): string {
  if (tuple === undefined) return '';
  let text = tuple.src === undefined ? '' : `src=${tuple.src} dst=${tuple.dst} `;
  switch (tuple.proto) {
    case 6: case 17: case 132: case 33: case 136:
      text += `sport=${tuple.sport ?? 0} dport=${tuple.dport ?? 0} `;
      break;
    case 47:
      text += `srckey=0x${(tuple.sport ?? 0).toString(16)} dstkey=0x${(tuple.dport ?? 0).toString(16)} `;
      break;
    case 1: case 58:
      text += `type=${tuple.icmpType ?? 0} code=${tuple.icmpCode ?? 0} id=${tuple.icmpId ?? 0} `;
      break;
    default:
      break;
  }
  return text;
}

function countersText(counters: ConntrackCounters | undefined): string {
  return counters?.packets !== undefined && counters.bytes !== undefined
    ? `packets=${counters.packets} bytes=${counters.bytes} ` : '';
}

/** The protocol state word: TCP, SCTP or DCCP, as conntrack-tools names it. */
function stateText(ct: Conntrack): string {
  const info = ct.protoinfo;
  if (info?.tcp?.state !== undefined) return `${TCP_CONNTRACK_NAMES[info.tcp.state] ?? 'NONE'} `;
  if (info?.sctp?.state !== undefined) return `${SCTP_CONNTRACK_NAMES[info.sctp.state] ?? 'NONE'} `;
  if (info?.dccp?.state !== undefined) return `${DCCP_CONNTRACK_NAMES[info.dccp.state] ?? 'NONE'} `;
  return '';
}

/**
 * conntrackText formats one entry as `conntrack -L` does (`extended`: with
 * the layer-3 protocol first, as `-o extended`).
 *
 * @example
 * ctx.write(`${conntrackText(entry, false)}\n`);
 */
export function conntrackText(ct: Conntrack, extended: boolean): string {
  let text = '';
  if (extended) text += `${pad8(ct.family === AF_INET ? 'ipv4' : ct.family === AF_INET6 ? 'ipv6' : 'unknown')} ${ct.family} `;
  const proto = ct.orig?.proto ?? 0;
  text += `${pad8(PROTOCOLS[proto] ?? 'unknown')} ${proto} `;
  if (ct.timeout !== undefined) text += `${ct.timeout} `;
  text += stateText(ct);
  text += tupleText(ct.orig);
  text += countersText(ct.countersOrig);
  const status = ct.status;
  if (status !== undefined && !(status & IPS_SEEN_REPLY)) text += '[UNREPLIED] ';
  text += tupleText(ct.reply);
  text += countersText(ct.countersReply);
  if (status !== undefined && status & IPS_ASSURED) text += '[ASSURED] ';
  if (status !== undefined && status & IPS_OFFLOAD) text += '[OFFLOAD] ';
  if (status !== undefined && status & IPS_HW_OFFLOAD) text += '[HW_OFFLOAD] ';
  if (ct.mark !== undefined) text += `mark=${ct.mark} `;
  if (ct.secmark !== undefined) text += `secmark=${ct.secmark} `;
  if (ct.secctx !== undefined) text += `secctx=${ct.secctx} `;
  if (ct.zone !== undefined) text += `zone=${ct.zone} `;
  if (ct.orig?.zone !== undefined) text += `zone-orig=${ct.orig.zone} `;
  if (ct.reply?.zone !== undefined) text += `zone-reply=${ct.reply.zone} `;
  if (ct.helper !== undefined) text += `helper=${ct.helper} `;
  if (ct.use !== undefined) text += `use=${ct.use} `;
  return text.slice(0, -1);
}

/** ConntrackJson is `nlrx -j conntrack -L`'s object of one entry (documented in the README). */
export interface ConntrackJson {
  family: 'ipv4' | 'ipv6' | number;
  protocol: string;
  timeout?: number;
  state?: string;
  status: string[];
  original?: ConntrackTuple;
  reply?: ConntrackTuple;
  counters?: { original?: ConntrackCounters; reply?: ConntrackCounters };
  mark?: number;
  zone?: number;
  use?: number;
  id?: number;
}

/**
 * conntrackJson is one entry as `nlrx -j conntrack -L` prints it: names for
 * the family, protocol, state and status bits.
 *
 * @example
 * ctx.write(`${JSON.stringify(conntrackJson(entry))}\n`);
 */
export function conntrackJson(ct: Conntrack): ConntrackJson {
  const proto = ct.orig?.proto ?? 0;
  const state = stateText(ct).trim();
  const { unknown: _u1, ...original } = ct.orig ?? {};
  const { unknown: _u2, ...reply } = ct.reply ?? {};
  return {
    family: ct.family === AF_INET ? 'ipv4' : ct.family === AF_INET6 ? 'ipv6' : ct.family,
    protocol: PROTOCOLS[proto] ?? String(proto),
    timeout: ct.timeout,
    state: state === '' ? undefined : state,
    status: IPS_NAMES.filter((_, bit) => (ct.status ?? 0) & (1 << bit)),
    original: ct.orig && original,
    reply: ct.reply && reply,
    counters: ct.countersOrig || ct.countersReply ? { original: ct.countersOrig, reply: ct.countersReply } : undefined,
    mark: ct.mark,
    zone: ct.zone,
    use: ct.use,
    id: ct.id,
  };
}

/**
 * conntrackFormat is how `nlrx conntrack -L` prints an entry (`extended`:
 * `-o extended`); its JSON is one object a line.
 *
 * @example
 * conntrackFormat(false).text(entry); // 'tcp      6 431999 ESTABLISHED src=… use=1\n'
 */
export function conntrackFormat(extended: boolean): ObjectFormat<Conntrack> {
  return { json: (ct) => JSON.stringify(conntrackJson(ct)), text: (ct) => `${conntrackText(ct, extended)}\n` };
}

/**
 * statsFormat is how `nlrx conntrack -S` prints one CPU's counters, as
 * conntrack-tools does: `cpu=N` padded to 4, a tab, then each counter the
 * kernel sent, in attribute order.
 *
 * @example
 * statsFormat.text(stats); // 'cpu=0   \tfound=0 invalid=0 insert=0 … \n'
 */
export const statsFormat: ObjectFormat<ConntrackCpuStats> = {
  json: (stats) => JSON.stringify({ cpu: stats.resId, ...stats.counters }),
  text: (stats) => {
    let text = `cpu=${String(stats.resId).padEnd(4, ' ')}\t`;
    for (const name of CONNTRACK_STATS_NAMES) {
      if (name !== undefined && stats.counters[name] !== undefined) text += `${name}=${stats.counters[name]} `;
    }
    return `${text}\n`;
  },
};
