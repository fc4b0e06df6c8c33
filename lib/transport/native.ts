/**
 * The native addon's surface, declared once. Nothing else in netlink-rx loads
 * the `.node` file.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:process';
import { fileURLToPath } from 'node:url';
import { NetlinkError, NetlinkSyscallError } from '../errors.js';

/** Options of the native socket; see `SocketOptions` for their meaning. */
export interface NativeSocketOptions {
  netns?: string;
  rcvbuf?: number;
  strictCheck?: boolean;
  extAck?: boolean;
  groups?: readonly number[];
  listenAllNsid?: boolean;
  batchBytes?: number;
  batchDatagrams?: number;
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

/** One AF_NETLINK socket (SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK), bound and connected to the kernel. */
export interface NativeSocket {
  /** The port id the kernel gave this socket (non-zero). */
  readonly portId: number;
  readonly closed: boolean;
  /** recvmsg calls that returned a datagram so far. */
  readonly recvCalls: number;
  send(data: Uint8Array): number;
  read(callback: NativeReadCallback): void;
  close(): void;
  addMembership(group: number): void;
  dropMembership(group: number): void;
  ref(): void;
  unref(): void;
}

interface NativeModule {
  NetlinkSocket: new (protocol: number, options?: NativeSocketOptions) => NativeSocket;
}

const require = createRequire(import.meta.url);

/** Where the addon may be, in order: built from source here, then prebuilt for this platform. */
function candidates(): string[] {
  const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
  return [root('build/Release/netlink_rx.node'), root(`prebuilds/${platform}-${arch}/netlink_rx.node`)];
}

let loaded: NativeModule | undefined;

/**
 * loadNative returns the addon, loading it on first use. It throws a
 * `NetlinkError` that says what to do when netlink-rx cannot run here.
 *
 * @example
 * const { NetlinkSocket } = loadNative();
 */
export function loadNative(): NativeModule {
  if (loaded) return loaded;
  if (platform !== 'linux') {
    throw new NetlinkError(`netlink-rx needs Linux: Netlink does not exist on ${platform}`, 95, 'ENOTSUP');
  }
  const path = candidates().find((p) => existsSync(p));
  if (!path) {
    throw new NetlinkError(
      `the native addon is not built and no prebuilt binary fits ${platform}-${arch} — run npm install ` +
        '(or npm run build:addon) in the netlink-rx package; it needs cmake and a C++17 compiler',
      2,
      'ENOENT',
    );
  }
  loaded = require(path) as NativeModule;
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
