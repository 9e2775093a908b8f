package io.vouch.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code --json} of the commands whose JSON output needs no more words than this: the result as
 * JSON on stdout, and a failure as one JSON object on stderr ({@link io.vouch.cli.Failure} reads
 * the same option). Commands whose JSON says something particular keep their own {@code --json}.
 */
public final class JsonOutputOption {
  @Option(names = "--json", description = "Print JSON (errors too, on stderr).")
  boolean json;

  /** Whether {@code --json} was given. */
  public boolean json() {
    return json;
  }
}
