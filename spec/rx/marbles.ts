/** Marble-test helpers for the batch operators. */
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import { readHeader, type NetlinkMessage } from '../../lib/codec/header.js';
import type { Batch } from '../../lib/transport/transport.js';

/** A TestScheduler asserting with vitest's deep equality (asymmetric matchers work in expected errors). */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The view of a message built alone in its own buffer. */
export function view(bytes: Buffer): NetlinkMessage {
  return readHeader(bytes, 0);
}

/** A raw batch of one datagram per buffer. */
export function rawBatch(datagrams: Buffer[], truncated = false): Batch {
  const ends = new Uint32Array(datagrams.length);
  let end = 0;
  datagrams.forEach((d, i) => (ends[i] = end += d.length));
  return { data: Buffer.concat(datagrams), ends, truncated };
}
