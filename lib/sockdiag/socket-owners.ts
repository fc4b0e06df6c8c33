/**
 * Who holds a socket: the processes with a file descriptor on it, found the
 * way `ss -p` finds them — by reading every `/proc/<pid>/fd/*` link that says
 * `socket:[<inode>]`. Socket inodes are unique machine-wide, so the scan does
 * not care which network namespace a process or a socket lives in.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { NetlinkSyscallError, errnoName } from '../errors.js';

/** SocketOwner is one process's hold on a socket: `("node",pid=123,fd=5)` in `ss -p`. */
export interface SocketOwner {
  /** The process id (the thread-group leader's). */
  pid: number;
  /** The command name, as `/proc/<pid>/stat` gives it (at most 15 characters). */
  command: string;
  /** The file descriptor the process holds the socket by. */
  fd: number;
}

/** SocketOwnersOptions narrow and redirect the scan. */
export interface SocketOwnersOptions {
  /** Only these socket inodes are looked up (the others are skipped, which saves nothing but memory). */
  inodes?: Iterable<number>;
  /** Where procfs is mounted; `/proc` unless a test points elsewhere. */
  procRoot?: string;
}

/** How many descriptor links are read at once: enough to keep the thread pool busy, few enough to bound memory. */
const LINKS_AT_ONCE = 256;

/** Numeric directory entries (pids, fds) in ascending order — the order the kernel lists them in. */
function numbers(names: readonly string[]): number[] {
  const out: number[] = [];
  for (const name of names) if (/^\d+$/.test(name)) out.push(Number(name));
  return out.sort((a, b) => a - b);
}

/** `pid (comm) state …` → `comm`, cut at the first `)` as ss's `%*d (%[^)])` does. */
function commandOf(stat: string): string {
  const open = stat.indexOf('(');
  if (open < 0) return '';
  const close = stat.indexOf(')', open + 1);
  return stat.slice(open + 1, close < 0 ? undefined : close);
}

/**
 * socketOwners maps socket inodes to the processes that hold them, scanning
 * `/proc/<pid>/fd` of every process (as `ss -p` does; run as root to see
 * other users' processes). It is opt-in: nothing else in the library reads
 * /proc. A process or descriptor that disappears mid-scan (ENOENT, ESRCH) or
 * may not be read (EACCES) is skipped, as ss skips it; only an unreadable
 * proc root rejects, with a `NetlinkSyscallError`. Owners of one socket come
 * in scan order: ascending pid, then ascending fd (`ss -p` prints them the
 * other way round).
 *
 * @example
 * const owners = await socketOwners();
 * console.log(owners.get(688153)); // [{ pid: 31898, command: 'node', fd: 19 }]
 */
export async function socketOwners(options: SocketOwnersOptions = {}): Promise<Map<number, SocketOwner[]>> {
  const root = (options.procRoot ?? '/proc').replace(/\/+$/, '');
  const wanted = options.inodes === undefined ? undefined : new Set(options.inodes);
  let pids: number[];
  try {
    pids = numbers(await readdir(root));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    const errno = -((error as NodeJS.ErrnoException).errno ?? -5);
    throw new NetlinkSyscallError(`Cannot list processes in ${root}: ${code}`, errno, 'scandir', code === errnoName(errno) ? code : undefined);
  }
  const owners = new Map<number, SocketOwner[]>();
  for (const pid of pids) {
    const held = await socketsOf(`${root}/${pid}`, wanted);
    if (held.length === 0) continue;
    let command: string;
    try {
      command = commandOf(await readFile(`${root}/${pid}/stat`, 'latin1'));
    } catch {
      continue; // It exited: it holds nothing any more.
    }
    for (const [inode, fd] of held) {
      const list = owners.get(inode);
      if (list) list.push({ pid, command, fd });
      else owners.set(inode, [{ pid, command, fd }]);
    }
  }
  return owners;
}

/** The [inode, fd] pairs of the sockets one process holds, by ascending fd; none when it is gone. */
async function socketsOf(dir: string, wanted: ReadonlySet<number> | undefined): Promise<Array<[number, number]>> {
  let fds: number[];
  try {
    fds = numbers(await readdir(`${dir}/fd`));
  } catch {
    return []; // Gone (ENOENT, ESRCH) or not ours to read (EACCES): ss skips it too.
  }
  const held: Array<[number, number]> = [];
  for (let start = 0; start < fds.length; start += LINKS_AT_ONCE) {
    const slice = fds.slice(start, start + LINKS_AT_ONCE);
    const links = await Promise.all(slice.map((fd) => readlink(`${dir}/fd/${fd}`).catch(() => '')));
    links.forEach((link, i) => {
      const match = /^socket:\[(\d+)\]$/.exec(link);
      if (!match) return;
      const inode = Number(match[1]);
      if (wanted === undefined || wanted.has(inode)) held.push([inode, slice[i]]);
    });
  }
  return held;
}
