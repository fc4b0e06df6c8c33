/**
 * The names `ip` gives to peer namespaces: plain `ip link show` prints
 * `link-netns NAME` instead of `link-netnsid N` when nsid N is a namespace
 * named in /run/netns (iproute2's netns_map_init / get_name_from_nsid).
 */
import { closeSync, opendirSync, openSync } from 'node:fs';
import { nsidsOf } from '../route/nsids-of.js';

/** Where `ip netns` binds the namespaces it names. */
const NETNS_RUN_DIR = '/run/netns';

/**
 * netnsNames maps the nsids that namespace `netns` (the caller's own when
 * undefined) has given to peer namespaces onto their names in /run/netns,
 * as ip does: for each file there, one RTM_GETNSID with NETNSA_FD asked in
 * `netns` (`nsidsOf`). Files that do not open, are not namespaces, or
 * have no nsid in `netns` are left out; so is everything when /run/netns
 * does not exist. When two names share an nsid, the later one in directory
 * order wins, as in ip's map.
 *
 * @example
 * const names = await netnsNames('blue');
 * names.get(0); // 'red', when blue's veth peer lives in /run/netns/red
 */
export async function netnsNames(netns?: string): Promise<Map<number, string>> {
  const byNsid = new Map<number, string>();
  /** The name behind each open fd, in directory order. */
  const opened = new Map<number, string>();
  try {
    for (const name of namespaceFiles()) {
      try {
        opened.set(openSync(`${NETNS_RUN_DIR}/${name}`, 'r'), name);
      } catch {
        // Not openable: left out, as ip leaves it out.
      }
    }
    if (opened.size === 0) return byNsid;
    const nsids = await nsidsOf([...opened.keys()], netns);
    // Directory order: a later name overwrites an earlier one.
    for (const [fd, name] of opened) {
      const nsid = nsids.get(fd) ?? -1;
      if (nsid >= 0) byNsid.set(nsid, name);
    }
  } finally {
    for (const fd of opened.keys()) closeSync(fd);
  }
  return byNsid;
}

/** The entries of /run/netns in the order readdir gives them (ip's order), without `.` and `..`. */
function namespaceFiles(): string[] {
  const names: string[] = [];
  let dir;
  try {
    dir = opendirSync(NETNS_RUN_DIR);
  } catch {
    return names;
  }
  try {
    for (let entry = dir.readSync(); entry; entry = dir.readSync()) names.push(entry.name);
  } finally {
    dir.closeSync();
  }
  return names;
}
