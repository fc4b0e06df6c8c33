/** A bare dump request for the socket specs that read the native socket directly (no engine, no ack). */
import { MessageWriter } from '../../lib/codec/attributes.js';
import { NLM_F_DUMP, NLM_F_REQUEST } from '../../lib/codec/header.js';

/**
 * rawDumpRequest: an nlmsghdr of `type` with NLM_F_REQUEST | NLM_F_DUMP and
 * `seq`, then a zeroed family header of `structSize` bytes.
 *
 * @example
 * socket.send(rawDumpRequest(RTM_GETLINK, 16, 1));
 */
export function rawDumpRequest(type: number, structSize: number, seq: number): Buffer {
  const w = new MessageWriter();
  w.begin({ type, flags: NLM_F_REQUEST | NLM_F_DUMP, seq });
  w.struct(structSize);
  return w.end();
}
