import { constants } from 'node:os';
import { errnoName, NetlinkSyscallError } from '../errors.js';
import { asNetlinkError, loadNative, type NativeSocket } from './native.js';
import type { SocketOptions } from './socket-options.js';
import type { Batch, Transport } from './transport.js';

export type { SocketOptions } from './socket-options.js';

/**
 * namespacePath turns a namespace as users give it into the file to open: a
 * name means `/run/netns/<name>` (as `ip netns` names them), an absolute path
 * is taken as it is. A name that could climb out of /run/netns is refused
 * with `EINVAL`.
 *
 * @example
 * namespacePath('blue'); // '/run/netns/blue'
 * namespacePath('/proc/1234/ns/net'); // as is
 */
export function namespacePath(netns: string): string {
  if (netns.startsWith('/')) return netns;
  if (netns === '' || netns.includes('/') || netns.includes('..')) {
    throw new NetlinkSyscallError(`setns: invalid network namespace name ${JSON.stringify(netns)} (EINVAL)`,
      constants.errno.EINVAL, 'setns', 'EINVAL');
  }
  return `/run/netns/${netns}`;
}

/**
 * namespaceError says what to do about a failure to enter namespace `netns`
 * (file `path`): a missing namespace is named, a refusal says it needs root.
 * Other errors, and errors of sockets opened without a namespace, are
 * returned as they are; `code`, `errno` and `syscall` never change.
 *
 * @example
 * throw namespaceError(asNetlinkError(error), 'blue', '/run/netns/blue');
 */
export function namespaceError(error: unknown, netns: string | undefined, path: string | undefined): unknown {
  if (netns === undefined || !(error instanceof NetlinkSyscallError)) return error;
  const { code, errno, syscall } = error;
  const named = netns === path ? `network namespace ${path}` : `network namespace "${netns}" (${path})`;
  let advice: string | undefined;
  if (syscall === 'open' && code === 'ENOENT') advice = `${named} does not exist`;
  else if ((syscall === 'setns' && code === 'EPERM') || (syscall === 'open' && code === 'EACCES')) {
    advice = `entering ${named} needs root (CAP_SYS_ADMIN)`;
  } else if (syscall === 'setns' && code === 'EINVAL') advice = `${path} is not a network namespace`;
  if (advice === undefined) return error;
  return new NetlinkSyscallError(`${advice}: ${error.message}`, errno, syscall, code);
}

/**
 * NetlinkSocket is the real transport: a non-blocking AF_NETLINK socket read
 * on demand from the event loop. Nothing is read while no read is pending.
 *
 * @example
 * const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: 'blue', groups: [RTNLGRP_LINK] });
 * const batch = await socket.read(); // the next link notifications
 * socket.close();
 */
export class NetlinkSocket implements Transport {
  readonly #native: NativeSocket;
  readonly #portId: number;

  /**
   * Opens a socket of `protocol` (e.g. `NETLINK_ROUTE` = 0).
   * Throws a `NetlinkSyscallError`: `ENOENT` for a missing namespace and
   * `EPERM` (setns) without CAP_SYS_ADMIN, both naming the namespace, …
   *
   * @example
   * const socket = new NetlinkSocket(0, { netns: 'blue' });
   * socket.send(request);
   * const batch = await socket.read();
   * socket.close();
   */
  constructor(protocol: number, options: SocketOptions = {}) {
    const { NetlinkSocket: Native } = loadNative();
    const { netns, ...rest } = options;
    const netnsPath = netns === undefined ? undefined : namespacePath(netns);
    try {
      this.#native = new Native(protocol, { extAck: true, ...rest, netnsPath });
    } catch (error) {
      throw namespaceError(asNetlinkError(error), netns, netnsPath);
    }
    this.#portId = this.#native.stats().portId;
  }

  get portId(): number {
    return this.#portId;
  }

  get closed(): boolean {
    return this.#native.stats().closed;
  }

  /** recvmsg calls that returned a datagram so far: a measure for tests and benchmarks. */
  get recvCalls(): number {
    return this.#native.stats().recvCalls;
  }

  /**
   * Batches the read-ahead thread has read and not yet delivered; -1 while the
   * socket has not started one (it starts on the second read of a request).
   */
  get readAheadQueued(): number {
    return this.#native.stats().readAhead;
  }

  send(data: Uint8Array): void {
    try {
      this.#native.send(data);
    } catch (error) {
      throw asNetlinkError(error);
    }
  }

  read(): Promise<Batch> {
    return new Promise((resolve, reject) => {
      try {
        this.#native.read((error, data, ends, nsids, truncated) => {
          if (error) reject(asNetlinkError(error));
          else resolve({ data: data!, ends: ends!, nsids, truncated: truncated === true });
        });
      } catch (error) {
        reject(asNetlinkError(error));
      }
    });
  }

  close(): void {
    this.#native.close();
  }

  addMembership(group: number): void {
    try {
      this.#native.membership(group, true);
    } catch (error) {
      throw asNetlinkError(error);
    }
  }

  dropMembership(group: number): void {
    try {
      this.#native.membership(group, false);
    } catch (error) {
      throw asNetlinkError(error);
    }
  }

  /**
   * Runs one SIOCETHTOOL ioctl for device `ifname` in this socket's namespace
   * (the kernel hands a netlink socket's device ioctls to the device): `data`
   * is the ethtool command struct (`ETHTOOL_G…`), read and written in place.
   * Synchronous, as the ioctl is. What netlink's ethtool family lacks (driver
   * information, a driver's own statistics) is only reachable this way.
   * Throws a `NetlinkSyscallError` (`ENODEV`, `EOPNOTSUPP`, `EFAULT` when the
   * kernel wrote past `data` …).
   *
   * @example
   * const drvinfo = new Uint8Array(196);
   * new DataView(drvinfo.buffer).setUint32(0, 3, true); // ETHTOOL_GDRVINFO
   * socket.ethtool('eth0', drvinfo);
   */
  ethtool(ifname: string, data: Uint8Array): void {
    try {
      this.#native.ethtool(ifname, data);
    } catch (error) {
      const native = asNetlinkError(error);
      // libuv names errno 95 ENOTSUP; the kernel's ethtool answers say EOPNOTSUPP.
      throw native instanceof NetlinkSyscallError
        ? new NetlinkSyscallError(native.message, native.errno, native.syscall, errnoName(native.errno))
        : native;
    }
  }

  ref(): void {
    this.#native.setRef(true);
  }

  unref(): void {
    this.#native.setRef(false);
  }
}
