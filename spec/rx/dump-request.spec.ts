/**
 * The request header a dump sends: NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK
 * and the caller's flags, or — with `dump: false` — a "do" request for one
 * object (no NLM_F_DUMP), answered by the object and an ack through the same
 * reader; sequence numbers are fresh and never 0.
 */
import { describe, expect, it } from 'vitest';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, readHeader } from '../../lib/codec/header.js';
import { encodeDumpRequest, nextSequence } from '../../lib/rx/dump-request.js';

describe('encodeDumpRequest', () => {
  it('asks for a dump with an ack, with the caller\'s flags and payload', () => {
    const bytes = encodeDumpRequest({ protocol: 0, type: 26, flags: 0x20, payload: Uint8Array.of(2, 0, 0, 0, 9) }, 77);
    const header = readHeader(bytes, 0);
    expect(header).toMatchObject({ type: 26, seq: 77, length: 21, flags: NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK | 0x20 });
    expect(bytes.length).toBe(24);
    expect([...bytes.subarray(16, 21)]).toEqual([2, 0, 0, 0, 9]);
  });

  it('asks for one object without NLM_F_DUMP when dump is false', () => {
    const header = readHeader(encodeDumpRequest({ protocol: 16, type: 21, dump: false, payload: new Uint8Array(4) }, 5), 0);
    expect(header.flags).toBe(NLM_F_REQUEST | NLM_F_ACK);
  });

  it('numbers requests afresh, never 0', () => {
    const a = nextSequence();
    const b = nextSequence();
    expect(b).not.toBe(a);
    expect(a).not.toBe(0);
  });
});
