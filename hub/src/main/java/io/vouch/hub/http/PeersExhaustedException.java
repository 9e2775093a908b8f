package io.vouch.hub.http;

import java.io.IOException;
import java.util.List;

/**
 * Every peer was tried and none delivered; each peer's failure is attached as a suppressed
 * exception and summarized in the message.
 */
public final class PeersExhaustedException extends IOException {
  private static final long serialVersionUID = 1L;

  public PeersExhaustedException(String what, List<? extends Exception> failures) {
    super(summary(what, failures));
    failures.forEach(this::addSuppressed);
  }

  private static String summary(String what, List<? extends Exception> failures) {
    StringBuilder out =
        new StringBuilder("could not " + what + " from any of " + failures.size() + " peer(s):");
    for (Exception failure : failures) {
      out.append("\n  - ").append(failure.getMessage());
    }
    return out.toString();
  }
}
