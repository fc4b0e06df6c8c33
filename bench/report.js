/**
 * The benchmark's printed table: one block per fixture, one line per case,
 * absolute figures first, then ratios to the raw limit and to `ip -j`.
 */

let LABEL = 42;

const num = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes) => `${num(bytes / 2 ** 20, 1)} MB`;

function ms(value) {
  if (value >= 100) return `${num(value)} ms`;
  if (value >= 10) return `${num(value, 1)} ms`;
  return `${num(value, 2)} ms`;
}

/** CPU time; /usr/bin/time counts in 10 ms ticks, so a process below one tick shows as such. */
function cpu(row) {
  if (row.cpuMs === undefined || Number.isNaN(row.cpuMs)) return '';
  if (row.cpuMs < 10 && (row.role === 'ip-cli' || row.role === 'nlrx-cli')) return '<10 ms';
  return ms(row.cpuMs);
}

const ratio = (value) => (value === undefined ? '' : `${value.toFixed(2)}×`);

function notes(row) {
  const parts = [];
  if (row.bytes !== undefined && row.reads !== undefined) {
    parts.push(`${mb(row.bytes)} in ${num(row.reads)} reads, ${num(row.recvCalls ?? row.datagrams)} recvmsg`);
  } else if (row.bytes !== undefined) parts.push(`JSON ${mb(row.bytes)}`);
  if (row.outputBytes !== undefined) parts.push(`stdout ${mb(row.outputBytes)}`);
  if (row.role === 'count' || row.role === 'count-ahead' || row.role === 'array') {
    parts.push(`${num(row.items)} objects, ${num((1000 * row.medianMs) / row.items, 2)} µs each`);
  }
  if (row.role === 'ipjson') parts.push(`${num(row.items)} top-level entries`);
  return parts.join(', ');
}

function line(row) {
  const label = `  ${row.label}`.padEnd(LABEL);
  if (row.medianMs === undefined) {
    const why = row.na ? `n/a (${row.na})` : `error: ${row.error}`;
    return `${label} ${why.length > 110 ? `${why.slice(0, 107)}...` : why}`;
  }
  return [
    label,
    ms(row.medianMs).padStart(10),
    cpu(row).padStart(10),
    ratio(row.ratioRaw).padStart(8),
    ratio(row.ratioIp).padStart(8),
    (row.peakRssMB === undefined || Number.isNaN(row.peakRssMB) ? '' : `${num(row.peakRssMB)} MB`).padStart(10),
    `  ${notes(row)}`,
  ].join(' ').trimEnd();
}

/**
 * formatTargets lists the issue's goals with the measured value and whether
 * it is met (`text` for the terminal, `markdown` for RESULTS.md).
 */
export function formatTargets(targets, mode = 'text') {
  if (!targets.length) return '';
  const lines = targets.map((t) => {
    const value = t.measured === undefined ? 'n/a' : t.unit === '×' ? `${t.measured.toFixed(2)}×` : `${num(t.measured)} ${t.unit}`;
    const limit = t.unit === '×' ? `${t.limit}×` : `${t.limit} ${t.unit}`;
    const verdict = t.met === undefined ? 'not measured' : t.met ? 'met' : 'NOT MET';
    return mode === 'markdown'
      ? `| ${t.goal} | ≤ ${limit} | ${value} | ${verdict} |`
      : `  ${t.goal.padEnd(46)} goal ≤ ${limit.padEnd(7)} measured ${value.padStart(8)}  ${verdict}`;
  });
  const at = targets[0].at;
  return mode === 'markdown'
    ? `Targets of issue 6 (at ${at}; dump / raw ratios from the paired runs):\n\n| goal | limit | measured | |\n|---|---|---|---|\n${lines.join('\n')}\n`
    : `targets of issue 6 (at ${at}; dump / raw ratios from the paired runs):\n${lines.join('\n')}`;
}

/** formatReport is the whole printed report: machine, one block per group, targets. */
export function formatReport(results) {
  const m = results.machine;
  const title = (group) => `${group.title}${group.items !== undefined ? ` (${num(group.items)} objects)` : ''}`;
  LABEL = Math.max(42, ...results.groups.flatMap((g) => [title(g).length + 1, ...g.rows.map((r) => r.label.length + 3)]));
  const out = [
    `netlink-rx bench: ${m.cpu}, ${m.cores} cores, Linux ${m.kernel}, Node ${m.node}, ${m.iproute2}`,
    `median of ${results.options.runs} runs after a warm-up (wall time; cpu = user+sys of the process and its children);`,
    `× raw = / the faster raw reader; × ip -j = / the ip -j process; load average ${results.loadAverage.before.map((l) => l.toFixed(1)).join(' ')} before, ${results.loadAverage.after.map((l) => l.toFixed(1)).join(' ')} after`,
  ];
  for (const group of results.groups) {
    out.push('');
    out.push(`${title(group).padEnd(LABEL)} ${'median'.padStart(10)} ${'cpu'.padStart(10)} ${'× raw'.padStart(8)} ${'× ip -j'.padStart(8)} ${'peak RSS'.padStart(10)}   notes`);
    for (const row of group.rows) out.push(line(row));
    const p = group.paired;
    if (p?.medians) {
      const ahead = p.countAhead === undefined ? '' : `, rtnetlink() readAhead 2 ${ms(p.medians.countAhead)} = ${ratio(p.countAhead)}`;
      out.push(`  paired (alternating in one process): raw ${ms(p.medians.raw)}, typed counted ${ms(p.medians.count)} = ${ratio(p.count)}${ahead}`);
    } else if (p) out.push(`  paired: ${p.na ? `n/a (${p.na})` : `error: ${p.error}`}`);
  }
  const targets = formatTargets(results.targets);
  if (targets) out.push('', targets);
  return out.join('\n');
}

/** formatMarkdown is bench/RESULTS.md: the machine, how to reproduce, how to read it, the table, the targets. */
export function formatMarkdown(results, report = formatReport(results)) {
  const m = results.machine;
  return `# Benchmark results

Latest \`npm run bench\`, ${results.date.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB,
Linux ${m.kernel}, Node ${m.node}, ${m.iproute2}. Reproduce as root with:

\`\`\`sh
npm ci && ${results.command}
\`\`\`

Times are medians of ${results.options.runs} runs after a warm-up. Each in-process case runs in a fresh
Node process (peak RSS = that process's VmHWM, Node itself included, about 45 MB of it); CLI rows are
whole processes with stdout to /dev/null (peak RSS by /usr/bin/time), ip and nlrx alternating. "× raw"
is relative to the faster raw reader (the native socket receiving the dump, nothing parsed); "× ip -j"
to the \`ip -j\` process. Wall times on a shared machine move with its load (printed with the table;
compare the cpu column); the "paired" line alternates the raw reader and the typed dump run by run in
one process, so load falls on both alike, and the dump / raw targets are taken from it. "typed" rows
call \`routes()\` (\`links()\` …) with default options — demand-driven sockets, no read-ahead; the
"rtnetlink()" rows go through the client, whose sockets read ahead 2 batches by default: that overlaps
recv with decoding only while a second core is free.

\`\`\`text
${report}
\`\`\`

${formatTargets(results.targets, 'markdown')}`;
}
