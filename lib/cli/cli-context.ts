/** What every `nlrx` command is given: the global options and where to write. */

/** The global options, as iproute2 spells them: `nlrx [-n NETNS] [-4|-6] [-j] [-p] OBJECT …`. */
export interface CliContext {
  /** `-n NETNS`: the namespace to look into (a name under /run/netns). */
  netns?: string;
  /** `-4` / `-6`: restrict to one address family. */
  family?: 'inet' | 'inet6';
  /** `-j`: JSON output, identical to `ip -j`. */
  json: boolean;
  /** `-p`: pretty-printed JSON. */
  pretty: boolean;
  /** `-d`: details (link kind info). */
  details: boolean;
  /** `-s`: statistics. */
  stats: boolean;
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
