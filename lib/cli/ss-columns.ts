/**
 * The column layout of iproute2's `ss` when its output is not a terminal:
 * every field is buffered, each column is as wide as its widest field (plus
 * its one-space left delimiter, except in the first shown column), addresses
 * are right-aligned, everything else left-aligned and padded — including the
 * last column, so lines carry trailing spaces as ss's do.
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

/** Field widths are counted in bytes, as ss's C strings are. */
const width = (text: string) => Buffer.byteLength(text);

/**
 * renderSsTable lays rows out as ss does on a pipe. `hidden` columns (ss
 * hides Netid when one socket table is shown, State when one state is) take
 * no room. As in ss, the last row's process field does not count towards its
 * column's width (ss measures a field when it moves past it, and it never
 * moves past the last one).
 *
 * @example
 * renderSsTable([{ state: 'LISTEN', recvq: '0     ', sendq: '128   ', addr: '0.0.0.0:', port: '22', peer: '0.0.0.0:', peerPort: '*' }],
 *   { header: true, hidden: new Set(['netid']) });
 */
export function renderSsTable(rows: readonly SsRow[], options: { header: boolean; hidden: ReadonlySet<SsColumn> }): string {
  const columns = SS_COLUMNS.filter((c) => !options.hidden.has(c));
  const lines: SsRow[] = options.header ? [Object.fromEntries(columns.map((c) => [c, LAYOUT[c].header])), ...rows] : [...rows];
  if (lines.length === 0) return '';
  const longest = new Map<SsColumn, number>(columns.map((c) => [c, 0]));
  lines.forEach((line, i) => {
    for (const c of columns) {
      if (c === 'process' && i === lines.length - 1 && (rows.length > 0)) continue;
      longest.set(c, Math.max(longest.get(c) ?? 0, width(line[c] ?? '')));
    }
  });
  const widths = new Map<SsColumn, number>();
  let first = true;
  for (const c of columns) {
    const max = longest.get(c) ?? 0;
    widths.set(c, !first && max > 0 ? max + LAYOUT[c].delimiter.length : max);
    if (max > 0) first = false;
  }
  let out = '';
  for (const line of lines) {
    let started = false;
    for (const c of columns) {
      const { delimiter, right } = LAYOUT[c];
      const text = line[c] ?? '';
      const w = widths.get(c) ?? 0;
      let printed = 0;
      if (started) {
        out += delimiter;
        printed = delimiter.length;
      }
      started = true;
      if (w > 0 && right) {
        const pad = w - width(text) - printed;
        if (pad > 0) {
          out += ' '.repeat(pad);
          printed += pad;
        }
      }
      out += text;
      printed += width(text);
      if (w > 0 && !right && w - printed > 0) out += ' '.repeat(w - printed);
    }
    out += '\n';
  }
  return out;
}
