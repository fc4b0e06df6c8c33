// TEMPORARY STUB — replaced by the dump engine (issue 3). Signature is the contract.
import { Observable } from 'rxjs';
import { NetlinkKernelError, NetlinkDecodeError } from '../errors.js';
import { MessageWriter } from '../codec/attributes.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, readHeader, type NetlinkMessage } from '../codec/header.js';
import { NetlinkSocket, type SocketOptions } from '../transport/netlink-socket.js';
import { align } from '../codec/align.js';

/** A dump request: the header's type (and extra flags) and its payload (family struct + attributes). */
export interface DumpRequest {
  protocol: number;
  type: number;
  /** Flags OR'd into NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK. */
  flags?: number;
  payload: Uint8Array;
}

export type DumpOptions = Pick<SocketOptions, 'netns' | 'strictCheck' | 'rcvbuf'>;

let nextSeq = 1;

export function dump(request: DumpRequest, options: DumpOptions = {}): Observable<NetlinkMessage> {
  return new Observable<NetlinkMessage>((subscriber) => {
    const socket = new NetlinkSocket(request.protocol, options);
    const seq = nextSeq++;
    const w = new MessageWriter(request.payload.length + 16);
    w.begin({ type: request.type, flags: NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK | (request.flags ?? 0), seq });
    w.struct(request.payload.length).set(request.payload);
    socket.send(w.end());
    let closed = false;
    (async () => {
      for (;;) {
        const batch = await socket.read();
        for (let at = 0; at < batch.data.length;) {
          const msg = readHeader(batch.data, at);
          if (msg.length < 16 || at + msg.length > batch.data.length) throw new NetlinkDecodeError('fragment', at);
          at += align(msg.length);
          if (msg.seq !== seq) continue;
          if (msg.type === NLMSG_DONE) return;
          if (msg.type === NLMSG_ERROR) {
            const errno = -msg.data.readInt32LE(msg.offset + 16);
            if (errno !== 0) throw new NetlinkKernelError({ errno });
            continue;
          }
          if (closed) return;
          subscriber.next(msg);
        }
      }
    })().then(() => subscriber.complete(), (e) => { if (!closed) subscriber.error(e); });
    return () => {
      closed = true;
      socket.close();
    };
  });
}
