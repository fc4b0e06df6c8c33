/** What every `nlrx` command is given: the global options and where to write. */

/**
 * The families `ip -f` names: `-4` is inet, `-6` inet6, `-0` link (AF_PACKET),
 * `-M` mpls, `-B` bridge.
 */
export type CliFamily = 'inet' | 'inet6' | 'link' | 'mpls' | 'bridge';

/** The global options, as iproute2 spells them: `nlrx [-n NETNS] [-4|-6] [-j] [-p] OBJECT …`. */
export interface CliContext {
  /** `-n NETNS`: the namespace to look into (a name under /run/netns). */
  netns?: string;
  /** `-4` / `-6` / `-0` / `-M` / `-B` / `-f FAMILY`: restrict to one family (the last one given wins). */
  family?: CliFamily;
  /** `-j`: JSON output, identical to `ip -j`. */
  json: boolean;
  /** `-p`: pretty-printed JSON. */
  pretty: boolean;
  /** `-d`: details (link kind info). */
  details: boolean;
  /** `-s`: statistics (true when `statsLevel` ≥ 1). */
  stats: boolean;
  /** How many times `-s` was given: `-s -s` adds the `RX errors:` / `TX errors:` lines. */
  statsLevel: number;
  /** `-br`: one line per object, as `ip -br` prints it. */
  brief: boolean;
  /** `-o`: each object on one line, its line breaks written as `\\`. */
  oneline: boolean;
  /**
   * `-c[olor][=always|auto|never]`: whether ip would colour its text output
   * (`-c` alone is always; auto only on a terminal; never with `-j`). Objects
   * colour with ip-color.ts's `paint` (link and address do).
   */
  color: boolean;
  /** Writes to standard output. */
  write(text: string): void;
}

/** An `nlrx OBJECT` module: lib/cli/commands/<object>.ts exports this shape. */
export interface CommandModule {
  /** Runs `nlrx OBJECT <verb> <args>`; rejects with a `UsageError` or a `NetlinkError`. */
  run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void>;
}

/**
 * UsageError is bad command-line input: `nlrx` prints its message on stderr
 * and exits non-zero, without a stack trace.
 *
 * @example
 * throw new UsageError('Device "eth9" does not exist.');
 */
export class UsageError extends Error {
  /** The exit status: 1, or what the tool the command mirrors exits with (conntrack-tools: 2). */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = exitCode;
  }
}

/**
 * inetFamily narrows `-f` to the IP families a filter takes: undefined for
 * `link`, `mpls` and `bridge`, which an object reading only IP tables
 * answers as if no family were given.
 *
 * @example
 * const filter = { family: inetFamily(ctx.family) };
 */
export function inetFamily(family: CliFamily | undefined): 'inet' | 'inet6' | undefined {
  return family === 'inet' || family === 'inet6' ? family : undefined;
}
