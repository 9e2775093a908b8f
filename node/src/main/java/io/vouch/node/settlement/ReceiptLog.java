package io.vouch.node.settlement;

import io.vouch.core.Bytes32;
import io.vouch.node.journal.ChecksummedLineFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Every receipt the node signed on the direct path, as its EIP-712 digest, in signing order: one
 * checksummed {@code <crc32c> 0x…} line per receipt ({@link ChecksummedLineFile}) in a file next to
 * the journal. Batches are ranges of this log (the journal records which), so the log is also where
 * each batch's Merkle leaves are kept.
 *
 * <p>Lines are written at once but forced to disk only before a batch is cut ({@link #force}): a
 * process crash loses nothing (the OS has the bytes), a power loss may lose the receipts signed
 * since the last batch — the node's record of them, not any payment, which the journal holds. On
 * open, a torn tail is cut off and the next digest goes right after the last complete line; damage
 * followed by complete lines is refused. A log from before checksums is rewritten with them (the
 * original kept as {@code <file>.legacy}).
 */
public final class ReceiptLog implements AutoCloseable {
  private static final ChecksummedLineFile.Format<Bytes32> FORMAT =
      new ChecksummedLineFile.Format<>(
          "receipt log",
          Bytes32::fromHex,
          "0x",
          "if the damage lies past the receipts already batched (the journal's batches), cut the"
              + " file at that byte (truncate -s) to drop the unbatched receipts from there on;"
              + " otherwise restore the file from a backup");

  private final ChecksummedLineFile file;
  private final List<Bytes32> digests = new ArrayList<>();
  private final Map<Bytes32, Long> positions = new HashMap<>();

  private ReceiptLog(ChecksummedLineFile file) {
    this.file = file;
  }

  /** Opens (creating if needed) the log at {@code file}; a torn tail is dropped. */
  public static ReceiptLog open(Path file) {
    ChecksummedLineFile.Opened<Bytes32> opened = ChecksummedLineFile.open(file, FORMAT);
    ReceiptLog log = new ReceiptLog(opened.file());
    opened.entries().forEach(log::remember);
    return log;
  }

  /** Appends {@code digest}; returns its position in the log. */
  public synchronized long append(Bytes32 digest) {
    file.append(digest.toHex());
    return remember(digest);
  }

  private long remember(Bytes32 digest) {
    long position = digests.size();
    digests.add(digest);
    positions.putIfAbsent(digest, position);
    return position;
  }

  public synchronized long size() {
    return digests.size();
  }

  /** The digests at positions {@code [from, to)}. */
  public synchronized List<Bytes32> range(long from, long to) {
    return List.copyOf(digests.subList(Math.toIntExact(from), Math.toIntExact(to)));
  }

  public synchronized OptionalLong positionOf(Bytes32 digest) {
    Long p = positions.get(digest);
    return p == null ? OptionalLong.empty() : OptionalLong.of(p);
  }

  /** Forces the log to disk: done before a batch's root is committed anywhere. */
  public synchronized void force() {
    file.force();
  }

  @Override
  public synchronized void close() {
    file.close();
  }
}
