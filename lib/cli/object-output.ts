/**
 * How every `nlrx` object is written: an `ObjectFormat` (its JSON text and
 * its text lines, as iproute2 or the tool it mirrors prints them) and one
 * output path — `objectOutput` — that streams either form in large chunks,
 * or pretty-prints JSON with `-p` as iproute2's json_writer does.
 */
import type { CliContext } from './cli-context.js';

/**
 * ObjectFormat is how one kind of object is printed: `json` gives the
 * object's JSON text, `text` its text line(s), newline included.
 *
 * @example
 * const numbers: ObjectFormat<number> = { json: (n) => String(n), text: (n) => `${n}\n` };
 */
export interface ObjectFormat<T> {
  json(object: T): string;
  text(object: T): string;
}

/** ObjectOutput receives the objects to print, in order, then `end()`. */
export interface ObjectOutput<T> {
  push(object: T): void;
  end(): void;
}

/**
 * objectOutput writes objects in the form `ctx` asks for: a JSON array with
 * `-j` (pretty with `-p`; one object a line with `jsonLines`), text lines
 * otherwise.
 *
 * @example
 * const out = objectOutput({ json: false, pretty: false, write: (t) => process.stdout.write(t) }, numbers);
 * [1, 2, 3].forEach((n) => out.push(n));
 * out.end(); // '1\n2\n3\n'
 */
export function objectOutput<T>(ctx: Pick<CliContext, 'json' | 'pretty' | 'write'>, format: ObjectFormat<T>,
  options: { jsonLines?: boolean } = {}): ObjectOutput<T> {
  if (ctx.json && options.jsonLines) {
    // One JSON object a line (what `nlrx -j conntrack` and monitors print), in large chunks.
    const lines = new TextWriter(ctx.write);
    return { push: (object) => lines.push(`${format.json(object)}\n`), end: () => lines.end() };
  }
  if (ctx.json) {
    const json = new JsonArrayWriter(ctx.write, ctx.pretty);
    return { push: (object) => json.push(format.json(object)), end: () => json.end() };
  }
  const text = new TextWriter(ctx.write);
  return { push: (object) => text.push(format.text(object)), end: () => text.end() };
}

/**
 * prettyJson writes a parsed `ip -j` value the way iproute2's json_writer
 * does with `-p`: `[ {` openers, 4-space indents, `[ ]` for empty arrays.
 *
 * @example
 * prettyJson([{ priority: 0, src: 'all' }]); // '[ {\n        "priority": 0,\n        "src": "all"\n    } ]'
 */
export function prettyJson(value: unknown): string {
  let out = '';
  let depth = 0;
  let sep = '';
  const eol = () => { out += `\n${' '.repeat(depth * 4)}`; };
  const emit = (v: unknown): void => {
    if (Array.isArray(v)) {
      out += `${sep}[ `;
      depth++;
      sep = '';
      for (const item of v) emit(item);
      if (sep) out += ' ';
      depth--;
      out += ']';
      sep = ',';
    } else if (v !== null && typeof v === 'object') {
      out += `${sep}{`;
      depth++;
      sep = '';
      for (const [key, item] of Object.entries(v)) {
        out += sep;
        eol();
        out += `${JSON.stringify(key)}: `;
        sep = '';
        emit(item);
      }
      depth--;
      if (sep) eol();
      out += '}';
      sep = ',';
    } else {
      out += sep + JSON.stringify(v);
      sep = ',';
    }
  };
  emit(value);
  return out;
}

/** What rawJsonNumber wraps a number's text in, and how its JSON string form is found again. */
const RAW = '\u0001';
const RAW_STRING = /"\\u0001([-0-9.]+)"/g;

/**
 * rawJsonNumber is a JSON number written as given — `0.00`, as ip's
 * jsonw_printf() writes the bridge timers — where JSON.stringify would
 * write `0`: a marker string that JsonArrayWriter turns back into the bare
 * number text, with or without -p.
 *
 * @example
 * JSON.stringify({ gc_timer: rawJsonNumber('0.00') }); // written by JsonArrayWriter as {"gc_timer":0.00}
 */
export function rawJsonNumber(text: string): string {
  return `${RAW}${text}`;
}

function unraw(json: string): string {
  return json.includes('\\u0001') ? json.replace(RAW_STRING, '$1') : json;
}

/**
 * JsonArrayWriter streams `[obj,obj,…]\n` in large chunks (one write per
 * ~64 KiB, not per object), or with `-p` collects and pretty-prints at the end.
 *
 * @example
 * const out = new JsonArrayWriter(ctx.write, ctx.pretty);
 * out.push('{"dst":"default"}');
 * out.end();
 */
export class JsonArrayWriter {
  #chunk = '[';
  #first = true;
  readonly #items: string[] = [];

  constructor(private readonly write: (text: string) => void, private readonly pretty: boolean) {}

  push(json: string): void {
    if (this.pretty) {
      this.#items.push(json);
      return;
    }
    this.#chunk += this.#first ? unraw(json) : `,${unraw(json)}`;
    this.#first = false;
    if (this.#chunk.length >= 65536) {
      this.write(this.#chunk);
      this.#chunk = '';
    }
  }

  end(): void {
    if (this.pretty) this.write(`${unraw(prettyJson(JSON.parse(`[${this.#items.join(',')}]`)))}\n`);
    else this.write(`${this.#chunk}]\n`);
  }
}

/**
 * TextWriter batches output lines into large writes.
 *
 * @example
 * const out = new TextWriter(ctx.write);
 * out.push('default via 10.0.0.1 dev v0 \n');
 * out.end();
 */
export class TextWriter {
  #chunk = '';

  constructor(private readonly write: (text: string) => void) {}

  push(text: string): void {
    this.#chunk += text;
    if (this.#chunk.length >= 65536) {
      this.write(this.#chunk);
      this.#chunk = '';
    }
  }

  end(): void {
    if (this.#chunk) this.write(this.#chunk);
    this.#chunk = '';
  }
}
