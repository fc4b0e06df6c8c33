/**
 * Neighbors as `ip neigh show` prints them: the `ip -j` objects and the
 * readable lines, from typed Neighbors.
 */
import type { ObjectFormat } from './object-output.js';
import {
  NTF_EXT_LEARNED, NTF_EXT_MANAGED, NTF_OFFLOADED, NTF_PROXY, NTF_ROUTER, type Neighbor,
} from '../route/neighbor-decode.js';
import type { JsonObject } from './link-format.js';
import { familyColor, paint } from './ip-color.js';
import { NUD_NAMES, protocolName } from './names.js';

/** USER_HZ: nda_cacheinfo counts clock ticks. */
const HZ = 100;

/**
 * NeighborView is what printing a neighbor needs besides the neighbor.
 *
 * @example
 * const view: NeighborView = { devName: (i) => names.get(i) ?? `if${i}`, showDev: true, stats: false };
 */
export interface NeighborView {
  devName(ifindex: number): string;
  /** False when the output is for one device (`dev NAME`): ip then leaves `dev` out. */
  showDev: boolean;
  stats: boolean;
  /** `-br`: address, device and link-layer address in columns (print_neigh_brief). */
  brief?: boolean;
  /** `-c`: ip's colours for the address, the device and the link-layer address. */
  color?: boolean;
}

function flagKeys(n: Neighbor): string[] {
  const keys: string[] = [];
  if (n.flags & NTF_ROUTER) keys.push('router');
  if (n.flags & NTF_PROXY) keys.push('proxy');
  if ((n.flagsExt ?? 0) & NTF_EXT_MANAGED) keys.push('managed');
  if (n.flags & NTF_EXT_LEARNED) keys.push('extern_learn');
  if (n.flags & NTF_OFFLOADED) keys.push('offload');
  return keys;
}

function stateNames(state: number): string[] {
  return NUD_NAMES.filter(([bit]) => state & bit).map(([, name]) => name);
}

/**
 * neighborJson is the object `ip -j neigh show` prints for one entry.
 *
 * @example
 * console.log(JSON.stringify(list.map((n) => neighborJson(n, view))));
 */
export function neighborJson(n: Neighbor, view: NeighborView): JsonObject {
  const out: JsonObject = {};
  if (n.dst !== undefined) out.dst = n.dst;
  if (view.showDev && n.ifindex) out.dev = view.devName(n.ifindex);
  if (n.lladdr !== undefined) out.lladdr = n.lladdr;
  if (view.brief) return out;
  for (const key of flagKeys(n)) out[key] = null;
  if (view.stats) {
    if (n.cacheinfo) {
      if (n.cacheinfo.refcnt) out.refcnt = n.cacheinfo.refcnt;
      out.used = Math.floor(n.cacheinfo.used / HZ);
      out.confirmed = Math.floor(n.cacheinfo.confirmed / HZ);
      out.updated = Math.floor(n.cacheinfo.updated / HZ);
    }
    if (n.probes !== undefined) out.probes = n.probes;
  }
  if (n.state) out.state = stateNames(n.state);
  if (n.protocol) out.protocol = protocolName(n.protocol);
  return out;
}

/**
 * neighborText is the readable line of one entry, as `ip neigh show` prints it.
 *
 * @example
 * ctx.write(neighborText(n, view));
 */
export function neighborText(n: Neighbor, view: NeighborView): string {
  // A bridge's entries are coloured by their address's length, as ip does.
  const dstColor = familyColor(n.dst?.includes(':') ? 10 : 2);
  const c = view.color;
  if (view.brief) {
    let brief = '';
    if (n.dst !== undefined) brief += paint(c, dstColor, `${n.dst.padEnd(39)} `);
    if (view.showDev && n.ifindex) brief += paint(c, 'ifname', `${view.devName(n.ifindex).padEnd(16)} `);
    if (n.lladdr !== undefined) brief += paint(c, 'mac', n.lladdr);
    return `${brief}\n`;
  }
  let line = '';
  if (n.dst !== undefined) line += paint(c, dstColor, `${n.dst} `);
  if (view.showDev && n.ifindex) line += `dev ${paint(c, 'ifname', `${view.devName(n.ifindex)} `)}`;
  if (n.lladdr !== undefined) line += `lladdr ${paint(c, 'mac', `${n.lladdr} `)}`;
  for (const key of flagKeys(n)) line += `${key} `;
  if (view.stats) {
    if (n.cacheinfo) {
      if (n.cacheinfo.refcnt) line += ` ref ${n.cacheinfo.refcnt}`;
      line += ` used ${Math.floor(n.cacheinfo.used / HZ)}/${Math.floor(n.cacheinfo.confirmed / HZ)}/${Math.floor(n.cacheinfo.updated / HZ)}`;
    }
    // ip writes "probes" right after the times, without a space.
    if (n.probes !== undefined) line += `probes ${n.probes} `;
  }
  for (const name of stateNames(n.state)) line += `${name} `;
  if (n.protocol) line += `proto ${protocolName(n.protocol)} `;
  return `${line}\n`;
}

/**
 * neighborFormat is how `nlrx neigh show` prints a neighbor, for one view.
 *
 * @example
 * neighborFormat(view).json(n); // '{"dst":"10.0.0.2","dev":"v0",…}'
 */
export function neighborFormat(view: NeighborView): ObjectFormat<Neighbor> {
  return { json: (n) => JSON.stringify(neighborJson(n, view)), text: (n) => neighborText(n, view) };
}
