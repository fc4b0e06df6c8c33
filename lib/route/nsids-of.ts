/**
 * The ids one namespace gave to others, asked per namespace (RTM_GETNSID with
 * NETNSA_FD): what `ip` does to name peers. Without RxJS, so the CLI can use
 * it at start-up.
 */
import { MessageWriter } from '../codec/attributes.js';
import { NLM_F_REQUEST, NETLINK_ROUTE } from '../codec/header.js';
import { splitMessages } from '../codec/message.js';
import { NetlinkSocket } from '../transport/netlink-socket.js';
import { decodeNsid, nsidQuery, NETNSA_NSID_NOT_ASSIGNED, RTM_GETNSID, RTM_NEWNSID } from './nsid-decode.js';

/**
 * nsidsOf asks namespace `netns` (the caller's own when undefined) for the id
 * it gave each namespace behind `fds` (file descriptors of this process, e.g.
 * of /run/netns/NAME): one RTM_GETNSID with NETNSA_FD each, all sent before
 * the first reply is read. The answer maps each fd to its id,
 * `NETNSA_NSID_NOT_ASSIGNED` (-1) when the peer has none or the kernel
 * refused the query (not a namespace, for instance). The kernel resolves
 * each fd while handling send(): the caller may close them once this
 * returns, or even before it settles.
 *
 * @example
 * import { closeSync, openSync } from 'node:fs';
 * import { nsidsOf } from 'netlink-rx';
 *
 * const fd = openSync('/run/netns/red', 'r');
 * const ids = await nsidsOf([fd], 'blue');
 * closeSync(fd);
 * ids.get(fd); // 0, when blue's veth peer lives in red
 */
export async function nsidsOf(fds: readonly number[], netns?: string): Promise<Map<number, number>> {
  const answers = new Map<number, number>();
  const unique = [...new Set(fds)];
  if (unique.length === 0) return answers;
  const socket = new NetlinkSocket(NETLINK_ROUTE, { netns });
  try {
    /** The fd each request's `nlmsg_seq` asks about. */
    const pending = new Map<number, number>();
    for (const [i, fd] of unique.entries()) {
      const seq = i + 1;
      const query = nsidQuery(fd);
      const w = new MessageWriter(32);
      w.begin({ type: RTM_GETNSID, flags: NLM_F_REQUEST, seq });
      w.struct(query.length).set(query);
      socket.send(w.end());
      pending.set(seq, fd);
    }
    while (answers.size < pending.size) {
      const { messages, error } = splitMessages(await socket.read());
      for (const msg of messages) {
        const fd = pending.get(msg.seq);
        if (msg.pid !== socket.portId || fd === undefined || answers.has(fd)) continue;
        const nsid = msg.type === RTM_NEWNSID ? decodeNsid(msg).nsid : undefined;
        answers.set(fd, nsid ?? NETNSA_NSID_NOT_ASSIGNED);
      }
      if (error) throw error;
    }
  } finally {
    socket.close();
  }
  return answers;
}
