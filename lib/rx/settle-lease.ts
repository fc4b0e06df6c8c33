import { DumpInterruptedError, NetlinkKernelError } from '../errors.js';
import type { SocketLease } from './socket-pool.js';

/**
 * DumpEnd is how a dump on a leased socket ended: `'done'` (NLMSG_DONE),
 * `'cancelled'` (the consumer left before the end), or the error it failed with.
 *
 * @example
 * const end: DumpEnd = { error: new NetlinkKernelError({ errno: 22 }) };
 */
export type DumpEnd = 'done' | 'cancelled' | { readonly error: unknown };

/**
 * settleLease gives a dump's socket back or closes it — the one
 * release-or-destroy policy of every dump (DESIGN.md rule 9). The socket goes
 * back to its pool only when the kernel has ended the request: the dump was
 * done, or the kernel failed it (`NetlinkKernelError`) or flagged it
 * interrupted (`DumpInterruptedError`, read to its end). Anything else — a
 * cancellation, a decode or socket error — may leave replies queued, so the
 * socket is closed (O(1), nothing drained) and no stale reply can reach the
 * next dump. Settling twice does nothing.
 *
 * @example
 * const reader = DumpReader.start(lease.transport, request);
 * try { for (;;) if (reader.read(await lease.transport.read()).done) break; settleLease(lease, 'done'); }
 * catch (error) { settleLease(lease, { error }); throw error; }
 */
export function settleLease(lease: SocketLease, end: DumpEnd): void {
  if (kernelEnded(end)) lease.release();
  else lease.destroy();
}

function kernelEnded(end: DumpEnd): boolean {
  if (end === 'done') return true;
  if (end === 'cancelled') return false;
  return end.error instanceof NetlinkKernelError || end.error instanceof DumpInterruptedError;
}
