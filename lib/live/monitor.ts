/**
 * monitor: the raw multicast side of Netlink — every notification of the
 * groups joined, batch by batch, with overruns as values, not errors.
 */
import { Observable } from 'rxjs';
import { NETLINK_ROUTE } from '../codec/header.js';
import { splitMessages, type MessageBatch } from '../codec/message.js';
import { NetlinkError } from '../errors.js';
import type { TransportFactory } from '../rx/socket-pool.js';
import { NetlinkSocket, type SocketOptions } from '../transport/netlink-socket.js';
import type { Transport } from '../transport/transport.js';

/**
 * MonitorOptions say which groups to join, where, and with how much buffer.
 *
 * @example
 * const options: MonitorOptions = { groups: [RTNLGRP_LINK], netns: 'blue' };
 */
export interface MonitorOptions extends Pick<SocketOptions, 'netns' | 'rcvbuf'> {
  /** Multicast groups to join, by number (RTNLGRP_*). */
  groups: readonly number[];
  /** The socket's protocol. Default NETLINK_ROUTE. */
  protocol?: number;
  /**
   * Receive buffer in bytes. Default 8 MiB (SO_RCVBUFFORCE as root, else
   * capped by net.core.rmem_max): a burst of notifications must fit in it
   * while JavaScript is busy, or the kernel drops some (an overrun).
   */
  rcvbuf?: number;
  /** Whether the listening socket keeps the process alive. Default true. */
  keepAlive?: boolean;
  /** Opens the socket (tests: a fake kernel). Default: a real NetlinkSocket. */
  transport?: TransportFactory;
}

/**
 * MonitorMessages is one read of notifications: message views into the read's buffer.
 *
 * @example
 * if (signal.type === 'messages') for (const msg of signal.messages) console.log(msg.type);
 */
export interface MonitorMessages {
  readonly type: 'messages';
  readonly messages: MessageBatch;
}

/**
 * MonitorOverrun says notifications were lost: the kernel could not queue them
 * (`ENOBUFS`, the receive buffer was full) or one arrived truncated
 * (`EPROTO`). Whoever mirrors kernel state must re-read it: nothing after this
 * signal can be trusted to describe every change. The socket stays open and
 * notifications keep coming.
 *
 * @example
 * if (signal.type === 'overrun') console.warn('lost notifications:', signal.error.code);
 */
export interface MonitorOverrun {
  readonly type: 'overrun';
  readonly error: NetlinkError;
}

/** MonitorSignal is what `monitor()` emits: notifications, or the news that some were lost. */
export type MonitorSignal = MonitorMessages | MonitorOverrun;

/** The default receive buffer of a monitor socket (see MonitorOptions.rcvbuf). */
export const MONITOR_RCVBUF = 8 << 20;

const openSocket: TransportFactory = (protocol, options) => new NetlinkSocket(protocol, options);

/**
 * Listens to Netlink multicast groups.
 *
 * <span class="informal">A socket of its own per subscription, joined to `groups` before
 * `subscribe()` returns; every notification from then on, batch by batch.</span>
 *
 * The events are hot — what happened before subscribing is not replayed — and
 * the groups are joined synchronously in `subscribe()`, so a dump started
 * right after it cannot miss a change (list-then-watch builds on this). Reads
 * go one at a time, on demand. `ENOBUFS` (the kernel dropped notifications)
 * and a truncated datagram are emitted as a `MonitorOverrun` and reading goes
 * on; any other socket error fails the Observable. After `ENOBUFS` the socket
 * is replaced by a fresh one, joined to the same groups, before the overrun
 * is emitted: the notifications still queued on the old one are older than
 * the ones the kernel dropped, and applied after the re-read an overrun calls
 * for they would bring back objects deleted since. Unsubscribing closes the
 * socket.
 *
 * ## Example
 *
 * ```ts
 * import { monitor, RTNLGRP_LINK, RTM_NEWLINK } from 'netlink-rx';
 *
 * monitor({ groups: [RTNLGRP_LINK], netns: 'blue' }).subscribe((signal) => {
 *   if (signal.type === 'overrun') console.log('lost some: re-read the links');
 *   else for (const msg of signal.messages) console.log(msg.type === RTM_NEWLINK ? 'new' : 'del');
 * });
 * ```
 *
 * @see {@link rtnetlinkMonitor}
 * @param options Groups, namespace, receive buffer.
 * @return An Observable of notification batches and overrun signals.
 */
export function monitor(options: MonitorOptions): Observable<MonitorSignal> {
  return new Observable<MonitorSignal>((subscriber) => {
    const open = (): Transport => {
      const opened = (options.transport ?? openSocket)(options.protocol ?? NETLINK_ROUTE, {
        netns: options.netns,
        rcvbuf: options.rcvbuf ?? MONITOR_RCVBUF,
        groups: options.groups,
      });
      if (options.keepAlive === false) opened.unref();
      return opened;
    };
    let socket: Transport;
    try {
      socket = open();
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    let closed = false;
    const readNext = (): void => {
      socket.read().then((batch) => {
        if (closed) return;
        const { messages, error } = splitMessages(batch);
        if (messages.length > 0) subscriber.next({ type: 'messages', messages });
        if (closed) return;
        if (error) subscriber.next({ type: 'overrun', error });
        if (!closed) readNext();
      }, (error: unknown) => {
        if (closed) return;
        if (error instanceof NetlinkError && error.code === 'ENOBUFS') {
          // Stale queue: see above. A fresh socket is joined before the overrun
          // is signalled, so the re-read it calls for misses nothing.
          socket.close();
          try {
            socket = open();
          } catch (reopenError) {
            subscriber.error(reopenError);
            return;
          }
          subscriber.next({ type: 'overrun', error });
          if (!closed) readNext();
        } else subscriber.error(error);
      });
    };
    readNext();
    return () => {
      closed = true;
      socket.close();
    };
  });
}
