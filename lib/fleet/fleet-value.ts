/**
 * The values of the fleet bucket: a kernel object as JSON that decodes back
 * to the same object — byte arrays and bigints tagged, so a consumer gets
 * what `watch()` gave the publisher and can print it as `ip -j` does.
 */

const BYTES = '$bytes';
const BIGINT = '$bigint';
const ERROR = '$error';

/**
 * encodeFleetValue serializes a kernel object: `Uint8Array` as
 * `{ "$bytes": hex }`, bigint as `{ "$bigint": text }`, an Error as
 * `{ "$error": message, code }`; `undefined` fields vanish.
 *
 * @example
 * encodeFleetValue({ ifindex: 2, address: new Uint8Array([1, 2]) }); // '{"ifindex":2,"address":{"$bytes":"0102"}}'
 */
export function encodeFleetValue(value: unknown): string {
  return JSON.stringify(value, function replacer(this: unknown, key: string, v: unknown): unknown {
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Uint8Array) return { [BYTES]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex') };
    if (typeof raw === 'bigint') return { [BIGINT]: raw.toString() };
    if (raw instanceof Error) return { [ERROR]: raw.message, code: (raw as Error & { code?: unknown }).code };
    return v;
  }) ?? 'null';
}

/**
 * decodeFleetValue reverses `encodeFleetValue`: tagged byte arrays become
 * Buffers, tagged bigints bigints, tagged errors Errors with their code.
 * Throws a SyntaxError on text that is not JSON.
 *
 * @example
 * decodeFleetValue('{"n":{"$bigint":"18446744073709551615"}}'); // { n: 18446744073709551615n }
 */
export function decodeFleetValue(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const tagged = v as Record<string, unknown>;
    if (typeof tagged[BYTES] === 'string') return Buffer.from(tagged[BYTES], 'hex');
    if (typeof tagged[BIGINT] === 'string') return BigInt(tagged[BIGINT]);
    if (typeof tagged[ERROR] === 'string') return Object.assign(new Error(tagged[ERROR]), { code: tagged.code });
    return v;
  });
}
