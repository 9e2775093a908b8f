package io.vouch.cli;

/** What the {@code vouch} command's exit codes mean. */
public final class ExitCodes {
  /** It worked. */
  public static final int OK = 0;

  /** It failed in a way a retry or restart could help: unreachable node, failed verification. */
  public static final int FAILED = 1;

  /** Fatal: bad usage or bad input; running it again unchanged will fail again. */
  public static final int FATAL = 2;

  private ExitCodes() {}
}
