/**
 * The unix_diag descriptions on crafted bytes (<linux/unix_diag.h>): struct
 * unix_diag_msg, UNIX_DIAG_* attributes (names as ss prints them), and the
 * request.
 */
import { describe, expect, it } from 'vitest';
import { NLM_F_MULTI, readHeader } from '../../lib/codec/header.js';
import {
  SOCK_DIAG_BY_FAMILY, SOCK_DGRAM, SOCK_STREAM, TCP_ESTABLISHED, TCP_LISTEN, UDIAG_SHOW_NAME, UDIAG_SHOW_PEER,
  UNIX_DIAG_ICONS, UNIX_DIAG_MEMINFO, UNIX_DIAG_NAME, UNIX_DIAG_PEER, UNIX_DIAG_RQLEN, UNIX_DIAG_SHUTDOWN,
  UNIX_DIAG_UID, UNIX_DIAG_VFS,
} from '../../lib/sockdiag/sockdiag-constants.js';
import { UDIAG_SHOW_ALL, unixDiagRequest, unixSocketMessage } from '../../lib/sockdiag/unix-diag-decode.js';
import { nlmsg, tlv } from '../helpers/fake-kernel.js';

const u32s = (...values: number[]) => { const b = Buffer.alloc(4 * values.length); values.forEach((v, i) => b.writeUInt32LE(v, 4 * i)); return b; };

/** struct unix_diag_msg: AF_UNIX, type, state, pad, inode, cookie. */
function unixMsg(type: number, state: number, inode: number, cookie: bigint, ...attributes: Buffer[]) {
  const b = Buffer.alloc(16);
  b.set([1, type, state, 0]);
  b.writeUInt32LE(inode, 4);
  b.writeBigUInt64LE(cookie, 8);
  return readHeader(nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq: 1, pid: 1, payload: Buffer.concat([b, ...attributes]) }), 0);
}

describe('struct unix_diag_msg and UNIX_DIAG_*', () => {
  it('decodes a listening socket bound to a path: name up to its NUL, vfs, pending connections, backlog', () => {
    const s = unixSocketMessage.decode(unixMsg(SOCK_STREAM, TCP_LISTEN, 4242, 7n,
      tlv(UNIX_DIAG_NAME, Buffer.from('/run/x.sock\0')),
      tlv(UNIX_DIAG_VFS, u32s(99, 0xfe00)),
      tlv(UNIX_DIAG_ICONS, u32s(501, 502)),
      tlv(UNIX_DIAG_RQLEN, u32s(2, 128)),
      tlv(UNIX_DIAG_MEMINFO, u32s(0, 212992, 0, 212992, 0, 0, 0, 0, 0)),
      tlv(UNIX_DIAG_SHUTDOWN, Buffer.from([0])),
      tlv(UNIX_DIAG_UID, u32s(1000))));
    expect(s).toEqual({
      kind: 'unix', type: SOCK_STREAM, state: TCP_LISTEN, inode: 4242, cookie: 7n, name: '/run/x.sock',
      vfs: { ino: 99, dev: 0xfe00 }, icons: [501, 502], rqueue: 2, wqueue: 128,
      skmeminfo: { rmemAlloc: 0, rcvbuf: 212992, wmemAlloc: 0, sndbuf: 212992, fwdAlloc: 0, wmemQueued: 0, optmem: 0, backlog: 0, drops: 0 },
      shutdown: 0, uid: 1000,
    });
  });

  it('writes an abstract name with every NUL as @, as ss does', () => {
    const s = unixSocketMessage.decode(unixMsg(SOCK_DGRAM, 7, 1, 1n, tlv(UNIX_DIAG_NAME, Buffer.from('\0app\0x\0\0'))));
    expect(s.name).toBe('@app@x@@');
  });

  it('decodes a connected socket\'s peer inode, and leaves out what was not sent', () => {
    const s = unixSocketMessage.decode(unixMsg(SOCK_STREAM, TCP_ESTABLISHED, 10, 2n, tlv(UNIX_DIAG_PEER, u32s(11))));
    expect(s).toEqual({ kind: 'unix', type: SOCK_STREAM, state: TCP_ESTABLISHED, inode: 10, cookie: 2n, peer: 11 });
  });

  it('records an RQLEN of the wrong size as a problem', () => {
    const s = unixSocketMessage.decode(unixMsg(SOCK_STREAM, TCP_ESTABLISHED, 10, 2n, tlv(UNIX_DIAG_RQLEN, u32s(1))));
    expect(s.rqueue).toBeUndefined();
    expect(s.problems?.[0].code).toBe('EPROTO');
  });
});

describe('struct unix_diag_req', () => {
  it('asks for AF_UNIX sockets in the given states with every show flag by default', () => {
    const bytes = Buffer.from(unixDiagRequest(1 << TCP_LISTEN).payload);
    expect(bytes).toHaveLength(24);
    expect([bytes[0], bytes[1]]).toEqual([1, 0]);
    expect(bytes.readUInt32LE(4)).toBe(1 << TCP_LISTEN);
    expect(bytes.readUInt32LE(12)).toBe(UDIAG_SHOW_ALL);
    expect(UDIAG_SHOW_ALL).toBe(0x7f);
    expect(Buffer.from(unixDiagRequest(2, UDIAG_SHOW_NAME | UDIAG_SHOW_PEER).payload).readUInt32LE(12)).toBe(5);
  });
});
