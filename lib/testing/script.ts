/** What a scripted kernel is told to answer: requests in, read results out. */
import type { FakeKernel } from './fake-kernel.js';

/** A request as the fake kernel received it. */
export interface SentRequest {
  readonly bytes: Buffer;
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
}

/** One scripted read: its datagrams, and whether recvmsg cut the last one. */
export interface ScriptedBatch {
  datagrams: Uint8Array[];
  truncated?: boolean;
}

/** One scripted read result: a batch, or an error the read rejects with. */
export type ScriptedRead = ScriptedBatch | Uint8Array[] | Error;

/** What the kernel answers to a request: the results of the later reads, in order. */
export type Script = (request: SentRequest, kernel: FakeKernel) => ScriptedRead[];
