package io.vouch.node.journal;

import java.nio.file.Path;

/**
 * A node was started against a chain or deployment other than the one its journal belongs to. Its
 * checkpoint, requests, vouchers and receipt numbers mean nothing there; resuming would skip the
 * new chain's first blocks and carry receipt numbers over, so the node refuses to start.
 */
public final class ForeignJournalException extends IllegalStateException {
  public ForeignJournalException(String message) {
    super(message);
  }

  /**
   * The journal at {@code journal} records {@code recorded}; the node runs against {@code wanted}.
   */
  static ForeignJournalException of(
      Path journal, JournalEntry.Deployment recorded, JournalEntry.Deployment wanted) {
    return new ForeignJournalException(
        "the journal "
            + journal
            + " belongs to another deployment: "
            + recorded.describe()
            + "; this node runs against "
            + wanted.describe()
            + ". "
            + remedy(journal));
  }

  /** What to do about it: another data folder, or this one moved aside. */
  public static String remedy(Path journal) {
    return "Give this deployment its own data folder (--data-dir), or move "
        + journal.toAbsolutePath().getParent()
        + " aside to start afresh (redeem the vouchers it holds on the old deployment first, if"
        + " that still runs)";
  }
}
