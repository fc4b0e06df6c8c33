/**
 * toJson serializes a kernel object for the wire: byte arrays as hex text
 * (a Buffer's own toJSON would be an array of numbers, ten times larger),
 * errors as `{ name, code, message }` (their message is not enumerable),
 * bigints as decimal text. `undefined` fields vanish, as JSON wants.
 *
 * @example
 * toJson({ index: 2, data: new Uint8Array([1, 255]) }); // '{"index":2,"data":"01ff"}'
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, replacer) ?? 'null';
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  // toJSON has already run on `value`: look at the holder's original field.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex');
  if (raw instanceof Error) {
    const { code } = raw as Error & { code?: unknown };
    return { name: raw.name, code, message: raw.message };
  }
  if (typeof raw === 'bigint') return raw.toString();
  return value;
}
