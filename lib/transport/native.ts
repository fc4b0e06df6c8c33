/**
 * The native addon's surface, declared once. Nothing else in netlink-rx loads
 * the `.node` file.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { sep } from 'node:path';
import { arch, platform } from 'node:process';
import { fileURLToPath } from 'node:url';
import { NetlinkError, NetlinkSyscallError } from '../errors.js';
import type { SocketOptions } from './socket-options.js';

/**
 * Options of the native socket: `SocketOptions` with the namespace already
 * turned into the file to open (see `namespacePath`).
 */
export interface NativeSocketOptions extends Omit<SocketOptions, 'netns'> {
  /** A network namespace file (e.g. /run/netns/blue). */
  netnsPath?: string;
  /**
   * Makes one native step fail, for the specs of the failure paths only:
   * `open` after the fd was opened, `async` (uv_async_init), `thread`
   * (pthread_create), `poll` (the reader thread's poll()) or `truncate`
   * (receive into 256 bytes, so the kernel cuts longer datagrams: rule 5).
   */
  testFault?: 'open' | 'async' | 'thread' | 'poll' | 'truncate';
}

/**
 * Called once per `read()`: with an error, or with the batch — the datagrams
 * concatenated in `data`, `ends[i]` the end offset of datagram i, `nsids[i]`
 * its source namespace id (only with `listenAllNsid`), and `truncated` when the
 * last datagram was cut by recvmsg.
 */
export type NativeReadCallback = (
  error: NativeError | null,
  data?: Buffer,
  ends?: Uint32Array,
  nsids?: Int32Array,
  truncated?: boolean,
) => void;

/** An error raised by the addon: errno is positive, code is its name. */
export interface NativeError extends Error {
  errno: number;
  code: string;
  syscall: string;
}

/** What a native socket reports of itself. */
export interface NativeSocketStats {
  /** The port id the kernel gave this socket (non-zero). */
  portId: number;
  closed: boolean;
  /** recvmsg calls that returned a datagram so far. */
  recvCalls: number;
  /** Batches the read-ahead thread holds, not yet delivered; -1 while no reader thread was started. */
  readAhead: number;
}

/** One AF_NETLINK socket (SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK), bound and connected to the kernel. */
export interface NativeSocket {
  send(data: Uint8Array): number;
  read(callback: NativeReadCallback): void;
  /** Idempotent; a pending read settles with EBADF. */
  close(): void;
  /** Joins (`join` true) or leaves multicast group `group`. */
  membership(group: number, join: boolean): void;
  /** Whether a pending read keeps the event loop alive. */
  setRef(ref: boolean): void;
  stats(): NativeSocketStats;
  /** SIOCETHTOOL for device `ifname` in the socket's namespace; `data` (the command struct) is updated in place. */
  ethtool(ifname: string, data: Uint8Array): void;
}

interface NativeModule {
  NetlinkSocket: new (protocol: number, options?: NativeSocketOptions) => NativeSocket;
}

const require = createRequire(import.meta.url);

/** The package's root directory (dist/transport/ → ../../). */
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where the addon may be, in order: built from source in this package (so a
 * local build always wins), then the prebuilt binary shipped for this
 * platform and architecture.
 */
function candidates(): string[] {
  return [`${packageRoot}build/Release/netlink_rx.node`, `${packageRoot}prebuilds/${platform}-${arch}/netlink_rx.node`];
}

/** What to run to build the addon from source: in a checkout, or in a project that installed netlink-rx. */
function buildHint(): string {
  const installed = packageRoot.split(sep).includes('node_modules');
  const command = installed ? `cd ${packageRoot} && npm run build:addon` : 'npm run build:addon';
  return `build it from source with \`${command}\` (needs cmake >= 3.19, a C++17 compiler and Node's headers)`;
}

let loaded: NativeModule | undefined;

/**
 * loadNative returns the addon, loading it on first use (not at import, so a
 * program can import netlink-rx anywhere and use it only on Linux). It throws
 * a `NetlinkError` that says what to do when netlink-rx cannot run here:
 * `ENOTSUP` off Linux, `ENOENT` when no binary fits this platform and
 * architecture, `ENOEXEC` when the binary found does not load.
 *
 * @example
 * const { NetlinkSocket } = loadNative();
 */
export function loadNative(): NativeModule {
  if (loaded) return loaded;
  if (platform !== 'linux') {
    throw new NetlinkError(
      `netlink-rx needs Linux: Netlink does not exist on ${platform}`,
      constants.errno.ENOTSUP ?? 95,
      'ENOTSUP',
    );
  }
  const path = candidates().find((p) => existsSync(p));
  if (!path) {
    throw new NetlinkError(
      `netlink-rx has no prebuilt native addon for ${platform}-${arch} and none was built from source: ${buildHint()}`,
      constants.errno.ENOENT,
      'ENOENT',
    );
  }
  try {
    loaded = require(path) as NativeModule;
  } catch (error) {
    // A prebuilt made for a newer C library than this system's ends here too.
    const reason = error instanceof Error ? error.message : String(error);
    throw new NetlinkError(`cannot load the native addon ${path} (${reason}): ${buildHint()}`,
      constants.errno.ENOEXEC, 'ENOEXEC', { cause: error });
  }
  return loaded;
}

/**
 * asNetlinkError turns an error thrown or delivered by the addon into a
 * `NetlinkSyscallError`; anything else is returned unchanged.
 *
 * @example
 * try { socket.send(bytes); } catch (e) { throw asNetlinkError(e); }
 */
export function asNetlinkError(error: unknown): unknown {
  if (error instanceof Error && typeof (error as NativeError).errno === 'number' && !(error instanceof NetlinkError)) {
    const native = error as NativeError;
    return new NetlinkSyscallError(native.message, native.errno, native.syscall, native.code);
  }
  return error;
}
