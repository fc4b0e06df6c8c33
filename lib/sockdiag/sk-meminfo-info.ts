/**
 * A socket's memory as `ss -m` prints it: the u32 array of
 * INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO, NETLINK_DIAG_MEMINFO and
 * PACKET_DIAG_MEMINFO (indexes SK_MEMINFO_*), shared by every sock_diag family.
 */
import { custom, type AttributeType } from '../codec/attribute-type.js';

/**
 * SkMeminfo is struct sock's memory accounting, in bytes (`drops` in
 * packets). A field is absent when the kernel's array is too short to hold
 * it (kernels before 4.4 sent no `drops`, before 3.x no `backlog`).
 *
 * @example
 * sockets({ protocol: 'tcp' }).subscribe((s) => console.log(s.skmeminfo?.rmemAlloc, s.skmeminfo?.rcvbuf));
 */
export interface SkMeminfo {
  rmemAlloc?: number;
  rcvbuf?: number;
  wmemAlloc?: number;
  sndbuf?: number;
  fwdAlloc?: number;
  wmemQueued?: number;
  optmem?: number;
  backlog?: number;
  drops?: number;
}

/** The field of each SK_MEMINFO_* index, in index order. */
const SK_MEMINFO_FIELDS = ['rmemAlloc', 'rcvbuf', 'wmemAlloc', 'sndbuf', 'fwdAlloc', 'wmemQueued', 'optmem', 'backlog', 'drops'] as const;

/**
 * skMeminfo reads the SK_MEMINFO_* u32 array: as many fields as the payload
 * holds, indexes a newer kernel adds beyond `drops` left out.
 *
 * @example
 * attr(INET_DIAG_SKMEMINFO, skMeminfo);
 */
export const skMeminfo: AttributeType<SkMeminfo> = custom<SkMeminfo>('sk_meminfo', (d, off, n) => {
  const info: Record<string, number> = {};
  const count = Math.min(SK_MEMINFO_FIELDS.length, n >>> 2);
  for (let i = 0; i < count; i++) info[SK_MEMINFO_FIELDS[i]] = d.readUInt32LE(off + 4 * i);
  return info;
});
