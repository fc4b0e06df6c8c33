import { constants } from 'node:os';

const errnoNames = new Map<number, string>(
  Object.entries(constants.errno).map(([name, value]) => [value, name]),
);

/**
 * errnoName returns the symbolic name of a positive errno (`2` → `'ENOENT'`),
 * or `'E<number>'` for a number this platform does not name.
 *
 * @example
 * errnoName(1); // 'EPERM'
 */
export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `E${errno}`;
}

/**
 * NetlinkError is the base of every error netlink-rx raises. Branch on `.code`
 * ('ENOENT', 'EPERM', 'EPROTO', …), never on the message wording.
 *
 * @example
 * rtnetlink({ netns: 'missing' }).links().subscribe({
 *   error: (e) => { if (e instanceof NetlinkError && e.code === 'ENOENT') console.log('no such netns'); },
 * });
 */
export class NetlinkError extends Error {
  /** The symbolic errno name, e.g. `'EPERM'`. */
  readonly code: string;
  /** The positive errno, as in `<errno.h>`. */
  readonly errno: number;

  constructor(message: string, errno: number, code = errnoName(errno), options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.errno = errno;
  }
}

/**
 * NetlinkSyscallError is a failed system call (socket, setns, send, recvmsg …):
 * `.syscall` names it.
 *
 * @example
 * try { new NetlinkSocket(NETLINK_ROUTE, { netns: 'gone' }); }
 * catch (e) { if (e instanceof NetlinkSyscallError) console.log(e.syscall, e.code); }
 */
export class NetlinkSyscallError extends NetlinkError {
  /** The system call that failed, e.g. `'setns'`. */
  readonly syscall: string;

  constructor(message: string, errno: number, syscall: string, code?: string) {
    super(message, errno, code);
    this.syscall = syscall;
  }
}

/** What the kernel said about a rejected request, from an NLMSG_ERROR or NLMSG_DONE reply. */
export interface KernelErrorDetails {
  /** The positive errno the kernel returned. */
  errno: number;
  /** The extended-ack text (NLMSGERR_ATTR_MSG), when the kernel sent one. */
  extAckMessage?: string;
  /** Byte offset of the offending attribute in the request (NLMSGERR_ATTR_OFFS). */
  extAckOffset?: number;
  /** The `nlmsg_type` of the request that failed. */
  requestType?: number;
}

/**
 * NetlinkKernelError is the kernel refusing a request: an NLMSG_ERROR with a
 * non-zero errno, or an NLMSG_DONE whose payload carries a negative errno.
 *
 * @example
 * dump(request).subscribe({ error: (e) => e instanceof NetlinkKernelError && console.log(e.code, e.extAckMessage) });
 */
export class NetlinkKernelError extends NetlinkError {
  readonly extAckMessage?: string;
  readonly extAckOffset?: number;
  readonly requestType?: number;

  constructor(details: KernelErrorDetails) {
    const code = errnoName(details.errno);
    const text = details.extAckMessage ? `: ${details.extAckMessage}` : '';
    super(`kernel refused the request (${code})${text}`, details.errno, code);
    this.extAckMessage = details.extAckMessage;
    this.extAckOffset = details.extAckOffset;
    this.requestType = details.requestType;
  }
}

/**
 * NetlinkDecodeError is bytes that are not valid Netlink: a fragment, a length
 * that runs past its buffer, a truncated datagram, an attribute of the wrong
 * size. `.code` is `'EPROTO'`; `.offset` is where in the batch or message it
 * was found and `.context` says what was being decoded, outermost first;
 * `.cause` is the original throw when a decoder failed with something else.
 *
 * @example
 * new NetlinkDecodeError('header shorter than 16 bytes', 4, ['batch']).code; // 'EPROTO'
 */
export class NetlinkDecodeError extends NetlinkError {
  readonly offset: number;
  readonly context: readonly string[];

  constructor(reason: string, offset: number, context: readonly string[] = [], options?: ErrorOptions) {
    const where = context.length > 0 ? ` in ${context.join(' > ')}` : '';
    super(`malformed netlink data at byte ${offset}${where}: ${reason}`, constants.errno.EPROTO, 'EPROTO', options);
    this.offset = offset;
    this.context = context;
  }
}

/**
 * DumpInterruptedError says a dump was read to its end but the kernel flagged
 * it `NLM_F_DUMP_INTR`: the table changed meanwhile and the result may be
 * inconsistent. Retry the dump (see `retryInterrupted`). `.code` is `'EINTR'`.
 *
 * @example
 * dump(request).pipe(retryInterrupted(3));
 */
export class DumpInterruptedError extends NetlinkError {
  /** How many messages the interrupted dump delivered. */
  readonly messages: number;

  constructor(messages: number) {
    super('dump interrupted: the kernel table changed during the dump (NLM_F_DUMP_INTR)',
      constants.errno.EINTR, 'EINTR');
    this.messages = messages;
  }
}
