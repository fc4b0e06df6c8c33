import { kernelError, parseControl } from '../../codec/control.js';
import type { NetlinkMessage } from '../../codec/header.js';
import { NetlinkDecodeError, NetlinkError } from '../../errors.js';

/**
 * terminalError is DESIGN.md rule 6 for the message that ends a request
 * (NLMSG_DONE or NLMSG_ERROR, see `isTerminal`): the error the request fails
 * with, or undefined when it ended well (errno 0: DONE, an acknowledgement).
 *
 * An NLMSG_ERROR with an errno, or an NLMSG_DONE carrying a negative one,
 * gives a `NetlinkKernelError` with the extended-ack text and offset when the
 * kernel sent them, and `requestType` when the reply does not echo it. A
 * control message too malformed to read gives a `NetlinkDecodeError`
 * (`EPROTO`): whatever the parser throws, the result is a `NetlinkError`, so
 * it can be handed to a subscriber as is. `DumpReader` and `throwKernelErrors`
 * both decide with this.
 *
 * @example
 * const end = batch.findIndex(isTerminal);
 * const error = end >= 0 ? terminalError(batch[end], RTM_GETROUTE) : undefined;
 */
export function terminalError(terminal: NetlinkMessage, requestType?: number): NetlinkError | undefined {
  try {
    const ack = parseControl(terminal);
    return ack !== undefined && ack.errno !== 0 ? kernelError(ack, requestType) : undefined;
  } catch (error) {
    if (error instanceof NetlinkError) return error;
    // A length read from the wire that the parser did not bound (a RangeError from Buffer) is still bad bytes.
    return new NetlinkDecodeError(`unreadable control message: ${String(error)}`, terminal.offset,
      [`nlmsg_type ${terminal.type}`], { cause: error });
  }
}
