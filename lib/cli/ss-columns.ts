/**
 * The column layout of iproute2's `ss` when its output is not a terminal:
 * every field is buffered, each column is as wide as its widest field (plus
 * its one-space left delimiter, except in the first shown column), addresses
 * are right-aligned, everything else left-aligned and padded — including the
 * last column, so lines carry trailing spaces as ss's do.
 *
 * ss buffers fields in 1 MiB chunks and prints what it holds once five are
 * full, with the widths measured so far; `SsTableWriter` keeps the same
 * account of bytes, so a long listing breaks into the same blocks, each
 * padded as ss pads it.
 */

/** The columns of an ss line, in order. */
export const SS_COLUMNS = ['netid', 'state', 'recvq', 'sendq', 'addr', 'port', 'peer', 'peerPort', 'process'] as const;

/** One column's name: `SS_COLUMNS[i]`. */
export type SsColumn = (typeof SS_COLUMNS)[number];

/** One line's fields, by column; a column shown but left out of a row prints as empty. */
export type SsRow = Partial<Record<SsColumn, string>>;

interface ColumnLayout {
  readonly header: string;
  readonly delimiter: string;
  readonly right: boolean;
}

const LAYOUT: Readonly<Record<SsColumn, ColumnLayout>> = {
  netid: { header: 'Netid', delimiter: '', right: false },
  state: { header: 'State', delimiter: ' ', right: false },
  recvq: { header: 'Recv-Q', delimiter: ' ', right: false },
  sendq: { header: 'Send-Q', delimiter: ' ', right: false },
  addr: { header: 'Local Address:', delimiter: ' ', right: true },
  port: { header: 'Port', delimiter: '', right: false },
  peer: { header: 'Peer Address:', delimiter: ' ', right: true },
  peerPort: { header: 'Port', delimiter: '', right: false },
  process: { header: 'Process', delimiter: '', right: false },
};

/** ss's buffer: chunks of 1 MiB less their 16-byte header, fields stored as a u16 length and 2-aligned bytes. */
const CHUNK_DATA = 1024 * 1024 - 16;
const CHUNKS_MAX = 5;

/** Field widths are counted in bytes, as ss's C strings are; most fields are ASCII, where that is their length. */
function width(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text);
  return text.length;
}

/** How a table is laid out: with or without the header line, which columns ss hides. */
export interface SsTableOptions {
  header: boolean;
  /** Columns that take no room (ss hides Netid when one socket table is shown, State when one state is). */
  hidden: ReadonlySet<SsColumn>;
}

/**
 * SsTableWriter lays rows out as ss does on a pipe and writes them in the
 * blocks ss prints. As in ss, the last row's process field does not count
 * towards its column's width (ss measures a field when it moves past it,
 * and it never moves past the last one).
 *
 * @example
 * const table = new SsTableWriter((text) => process.stdout.write(text), { header: true, hidden: new Set(['netid']) });
 * table.push({ state: 'LISTEN', recvq: '0     ', sendq: '128   ', addr: '0.0.0.0:', port: '22', peer: '0.0.0.0:', peerPort: '*' });
 * table.end();
 */
export class SsTableWriter {
  readonly #columns: readonly SsColumn[];
  readonly #layout: readonly ColumnLayout[];
  /** The widest field of each shown column so far (ss never forgets one, even after printing a block). */
  readonly #longest: number[];
  /** The lines held, as their fields in column order. */
  #lines: string[][] = [];
  /** Chunks held, and the offset where the current field's bytes end in the last one. */
  #chunks = 0;
  #end = 0;
  /** The last line's process field, stored but not yet measured (ss moves past it when the next line starts). */
  #process: number | undefined;
  readonly #processIndex: number;

  constructor(private readonly write: (text: string) => void, options: SsTableOptions) {
    this.#columns = SS_COLUMNS.filter((c) => !options.hidden.has(c));
    this.#layout = this.#columns.map((c) => LAYOUT[c]);
    this.#longest = this.#columns.map(() => 0);
    this.#processIndex = this.#columns.indexOf('process');
    if (options.header) {
      this.#columns.forEach((c, i) => {
        const text = LAYOUT[c].header;
        this.#store(text.length);
        this.#flush(i, text.length);
      });
      this.#lines.push(this.#columns.map((c) => LAYOUT[c].header));
    }
  }

  /** Adds one line. */
  push(row: SsRow): void {
    if (this.#process !== undefined) this.#flush(this.#processIndex, this.#process);
    this.#process = undefined;
    if (this.#lines.length > 0) {
      // Moving past the previous line's (empty) last field: where ss prints a full buffer.
      if (this.#chunks >= CHUNKS_MAX) {
        this.#render();
        this.#chunks = 0;
      } else this.#advance(0);
    }
    const columns = this.#columns;
    const line = new Array<string>(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const text = row[columns[i]] ?? '';
      const length = width(text);
      line[i] = text;
      this.#store(length);
      if (i === this.#processIndex) this.#process = length;
      else this.#flush(i, length);
    }
    this.#lines.push(line);
  }

  /** Prints what is held; the last line's process field is not measured. */
  end(): void {
    this.#render();
  }

  /** out(): a field's bytes; one that does not fit where it starts moves whole to a new chunk, unless it is the chunk's first. */
  #store(length: number): void {
    if (this.#chunks === 0) this.#newChunk();
    if (length > 0 && !(length < CHUNK_DATA - this.#end) && this.#end !== 2) this.#newChunk();
    this.#end += length;
  }

  /** field_flush(): measure the field; the next one's u16 length goes at the next 2-aligned offset, or in a new chunk. */
  #flush(column: number, length: number): void {
    if (length > this.#longest[column]) this.#longest[column] = length;
    this.#advance(length % 2);
  }

  #advance(pad: number): void {
    if (CHUNK_DATA - this.#end - pad < 2) this.#newChunk();
    else this.#end += pad + 2;
  }

  #newChunk(): void {
    this.#chunks++;
    this.#end = 2;
  }

  #render(): void {
    const count = this.#columns.length;
    const widths: number[] = [];
    let first = true;
    for (let i = 0; i < count; i++) {
      const max = this.#longest[i];
      widths.push(!first && max > 0 ? max + this.#layout[i].delimiter.length : max);
      if (max > 0) first = false;
    }
    let out = '';
    for (const line of this.#lines) {
      for (let i = 0; i < count; i++) {
        const { delimiter, right } = this.#layout[i];
        const text = line[i];
        const length = width(text);
        const w = widths[i];
        let printed = 0;
        if (i > 0) {
          out += delimiter;
          printed = delimiter.length;
        }
        if (w > 0 && right) {
          const pad = w - length - printed;
          if (pad > 0) {
            out += spaces(pad);
            printed += pad;
          }
        }
        out += text;
        printed += length;
        if (w > 0 && !right && w - printed > 0) out += spaces(w - printed);
      }
      out += '\n';
      if (out.length >= 65536) {
        this.write(out);
        out = '';
      }
    }
    if (out) this.write(out);
    this.#lines = [];
  }
}

const SPACES = ' '.repeat(256);
/** `n` spaces, without building a new string for the usual short runs. */
const spaces = (n: number) => (n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n));

/**
 * renderSsTable lays rows out as ss does on a pipe and returns the text.
 *
 * @example
 * renderSsTable([{ state: 'LISTEN', recvq: '0     ', sendq: '128   ', addr: '0.0.0.0:', port: '22', peer: '0.0.0.0:', peerPort: '*' }],
 *   { header: true, hidden: new Set(['netid']) });
 */
export function renderSsTable(rows: readonly SsRow[], options: SsTableOptions): string {
  let text = '';
  const table = new SsTableWriter((chunk) => { text += chunk; }, options);
  for (const row of rows) table.push(row);
  table.end();
  return text;
}
