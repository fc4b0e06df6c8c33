/**
 * cgroup v2 ids as paths, as `ss -e` prints them after `cgroup:` (iproute2's
 * cg_map): the cgroup2 mount is walked once, each directory's inode number
 * being its cgroup id; an id found nowhere prints as `unreachable:<hex>`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** SsCgroups turns cgroup ids into the text ss prints, and says what ss says on stderr. */
export interface SsCgroups {
  path(id: bigint): string;
}

/** The first cgroup2 mount point in /proc/mounts (octal escapes decoded), skipping `hidden` ones. */
function cgroup2Mount(hidden: (mountPoint: string) => boolean): string | undefined {
  let mounts = '';
  try {
    mounts = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of mounts.split('\n')) {
    const [, mountPoint, type] = line.split(' ');
    if (type !== 'cgroup2') continue;
    const path = mountPoint.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    if (!hidden(path)) return path;
  }
  return undefined;
}

/**
 * ssCgroups maps cgroup ids lazily. With `enteredNetns`, mounts under /sys are
 * left out: iproute2 mounts the namespace's own sysfs over /sys when it
 * enters a namespace (`ss -N`, `ip netns exec`), which hides them, and ss
 * then says "Failed to find cgroup2 mount" once, and again for each id.
 *
 * @example
 * ssCgroups({ enteredNetns: false, warn: (line) => process.stderr.write(line) }).path(1n); // '/'
 */
export function ssCgroups(options: { enteredNetns: boolean; warn(line: string): void }): SsCgroups {
  const hidden = (path: string) => options.enteredNetns && (path === '/sys' || path.startsWith('/sys/'));
  let paths: Map<bigint, string> | undefined;
  const mount = () => {
    const found = cgroup2Mount(hidden);
    if (found === undefined) options.warn('Failed to find cgroup2 mount\n');
    return found;
  };
  const walk = (root: string) => {
    const map = new Map<bigint, string>();
    const visit = (dir: string) => {
      let id: bigint;
      try {
        id = statSync(dir, { bigint: true }).ino;
      } catch {
        return;
      }
      map.set(id, dir === root ? '/' : dir.slice(root.length));
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) if (entry.isDirectory()) visit(join(dir, entry.name));
    };
    visit(root);
    return map;
  };
  return {
    path(id) {
      if (paths === undefined) {
        const root = mount();
        paths = root === undefined ? new Map() : walk(root);
      }
      const known = paths.get(id);
      if (known !== undefined) return known;
      // ss looks once more (by file handle) before giving up; without a mount that fails again, and says so.
      mount();
      return `unreachable:${id.toString(16)}`;
    },
  };
}
