/**
 * The fleet bucket's keys: any identity (and host name) escapes into one
 * NATS key token and back, and only what the escape produced parses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkHostName, decodeKeyToken, encodeKeyToken, fleetHeartbeatKey, fleetRowKey, fleetTableFilter, parseFleetKey,
} from '../../lib/fleet/fleet-key.js';

/** What the NATS client accepts as a key (nats.js kv validateKey), one token: no dots. */
const NATS_TOKEN = /^[-/=\w]+$/;

describe('encodeKeyToken / decodeKeyToken', () => {
  it('escape the identities live tables use, readably, into one token', () => {
    expect(encodeKeyToken('2|254|10.0.0.0/24|/0|0|0')).toBe('2_7C254_7C10_2E0_2E0_2E0_2F24_7C_2F0_7C0_7C0');
    expect(encodeKeyToken('10|254|fe80::/64|/0|0|256|3')).toMatch(NATS_TOKEN);
    expect(encodeKeyToken('')).toBe('_');
    expect(encodeKeyToken('a_b')).toBe('a_5Fb');
  });

  it('round-trip any text, always to a valid token', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      const token = encodeKeyToken(text);
      expect(token).toMatch(NATS_TOKEN);
      expect(decodeKeyToken(token)).toBe(text);
    }), { numRuns: 500 });
  });

  it('refuse tokens the escape cannot produce', () => {
    for (const bad of ['a.b', '_7', '_zz', '_7c', 'a b', 'é', '_41']) expect(decodeKeyToken(bad), bad).toBeUndefined();
  });
});

describe('fleet keys', () => {
  it('a row, a heartbeat and the filters of a table', () => {
    expect(fleetRowKey('r1.example', 'routes', '2|254')).toBe('r1_2Eexample.routes.2_7C254');
    expect(parseFleetKey('r1_2Eexample.routes.2_7C254')).toEqual({ host: 'r1.example', table: 'routes', id: '2|254' });
    expect(fleetHeartbeatKey('r1.example')).toBe('r1_2Eexample.heartbeat');
    expect(parseFleetKey('r1_2Eexample.heartbeat')).toEqual({ host: 'r1.example', heartbeat: true });
    expect(fleetTableFilter('links')).toBe('*.links.*');
    expect(fleetTableFilter('links', 'a b')).toBe('a_20b.links.*');
  });

  it('anything else is not a fleet key', () => {
    for (const key of ['r1', 'r1.routes', 'r1.routes.a.b', 'r1.ROUTES.x', 'r.1.heartbeat', 'r1.heartbeat.x']) {
      expect(parseFleetKey(key), key).toBeUndefined();
    }
  });

  it('host names: any text of 1 to 253 bytes without control characters', () => {
    expect(checkHostName('edge-7.dc1 (rack 4)')).toBe('edge-7.dc1 (rack 4)');
    for (const bad of ['', 'a\nb', 'x'.repeat(254)]) expect(() => checkHostName(bad)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});
