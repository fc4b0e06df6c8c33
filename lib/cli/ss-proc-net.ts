/**
 * Files of /proc/net as a network namespace sees them — what ss reads where
 * netlink has no answer (`-s`'s sockstat and snmp, raw sockets without
 * raw_diag). /proc/net is the reader's own namespace, so for another one the
 * files are read through a process that lives in it (/proc/<pid>/net), or,
 * when none does, through `nsenter --net`.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { NetlinkSyscallError } from '../errors.js';
import { namespaceError, namespacePath } from '../transport/netlink-socket.js';

/** A process in the namespace whose inode is `inode`, or undefined. */
async function processIn(inode: number): Promise<number | undefined> {
  const want = `net:[${inode}]`;
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (await readlink(`/proc/${name}/ns/net`) === want) return Number(name);
    } catch {
      // Gone, or not ours to read: next.
    }
  }
  return undefined;
}

const readOr = (file: string) => readFile(file, 'utf8').catch(() => '');

/**
 * readProcNet reads files of /proc/net (`sockstat`, `raw6` …) of network
 * namespace `netns` (a name or a path; default the caller's own), in order;
 * a file that cannot be read is ''. A namespace that cannot be opened fails
 * as a dump's would, with a `NetlinkSyscallError`.
 *
 * @example
 * const [sockstat, snmp] = await readProcNet('blue', ['sockstat', 'snmp']);
 */
export async function readProcNet(netns: string | undefined, files: readonly string[]): Promise<string[]> {
  let dir = '/proc/net';
  if (netns !== undefined) {
    const path = namespacePath(netns);
    let inode: number;
    try {
      inode = (await stat(path)).ino;
    } catch (error) {
      // As a dump would fail to open the namespace: the same error, the same advice.
      const code = (error as NodeJS.ErrnoException).code ?? 'ENOENT';
      const errno = (constants.errno as Record<string, number>)[code] ?? constants.errno.ENOENT;
      throw namespaceError(new NetlinkSyscallError(`open ${path} (${code})`, errno, 'open', code), netns, path);
    }
    const pid = await processIn(inode);
    if (pid === undefined) {
      // No process lives there to read through: a short-lived one enters it.
      return files.map((file) => {
        const child = spawnSync('nsenter', [`--net=${path}`, 'cat', `/proc/net/${file}`], { encoding: 'utf8' });
        return child.status === 0 ? child.stdout : '';
      });
    }
    dir = `/proc/${pid}/net`;
  }
  return Promise.all(files.map((file) => readOr(`${dir}/${file}`)));
}
