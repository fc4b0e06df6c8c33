import type { NetlinkMessage } from '../codec/header.js';
import type { DumpSelector } from '../rx/select-batch.js';
import type { Socket } from './socket.js';
import { socketQueryMessage, type SocketQuery } from './socket-query.js';
import { SOCK_DIAG_BY_FAMILY } from './sockdiag-constants.js';

/**
 * socketSelector returns what a sock_diag dump does with each reply: the
 * decoded socket of `query`'s kind, or undefined for a message that is not
 * one, a socket `match` refuses, or a socket whose cookie is already in
 * `seen`. inet_diag resumes a dump from a saved position and never flags it
 * interrupted (no NLM_F_DUMP_INTR), so under churn a socket can come twice;
 * the cookie — the kernel's unique, never reused socket id — drops the
 * second. Share `seen` among the dumps of one result (a cookie is unique
 * across families).
 *
 * @example
 * const select = socketSelector({ family: AF_INET, protocol: IPPROTO_TCP });
 * for (const msg of batch) console.log(select(msg)?.inode);
 */
export function socketSelector(query: SocketQuery, match?: (socket: Socket) => boolean,
  seen: Set<bigint> = new Set()): DumpSelector<Socket> {
  const description = socketQueryMessage(query);
  return (msg: NetlinkMessage) => {
    if (msg.type !== SOCK_DIAG_BY_FAMILY) return undefined;
    const socket = description.decode(msg);
    if (match !== undefined && !match(socket)) return undefined;
    if (seen.has(socket.cookie)) return undefined;
    seen.add(socket.cookie);
    return socket;
  };
}
