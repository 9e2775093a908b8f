package io.vouch.node.settlement;

import io.vouch.core.Bytes32;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Every receipt the node signed on the direct path, as its EIP-712 digest, in signing order: one
 * {@code 0x…} line per receipt in a file next to the journal. Batches are ranges of this log (the
 * journal records which), so the log is also where each batch's Merkle leaves are kept.
 *
 * <p>Lines are written at once but forced to disk only before a batch is cut ({@link #force}): a
 * process crash loses nothing (the OS has the bytes), a power loss may lose the receipts signed
 * since the last batch — the node's record of them, not any payment, which the journal holds.
 */
public final class ReceiptLog implements AutoCloseable {
  private static final int LINE_BYTES = 67; // "0x" + 64 hex + '\n'

  private final Path file;
  private final FileChannel channel;
  private final List<Bytes32> digests = new ArrayList<>();
  private final Map<Bytes32, Long> positions = new HashMap<>();

  private ReceiptLog(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (creating if needed) the log at {@code file}; a torn last line is dropped. */
  public static ReceiptLog open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      ReceiptLog log = new ReceiptLog(file, ch);
      List<String> lines =
          Files.exists(file) ? Files.readAllLines(file, StandardCharsets.US_ASCII) : List.of();
      for (int i = 0; i < lines.size(); i++) {
        try {
          log.remember(Bytes32.fromHex(lines.get(i)));
        } catch (RuntimeException e) {
          if (i < lines.size() - 1) {
            throw new IllegalStateException(
                "receipt log " + file + " line " + (i + 1) + " is not a digest: " + e.getMessage());
          }
        }
      }
      long valid = (long) log.digests.size() * LINE_BYTES;
      ch.truncate(valid);
      ch.position(valid);
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open receipt log " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends {@code digest}; returns its position in the log. */
  public synchronized long append(Bytes32 digest) {
    ByteBuffer b = ByteBuffer.wrap((digest.toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
    try {
      while (b.hasRemaining()) {
        channel.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write receipt log " + file + ": " + e.getMessage(), e);
    }
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
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync receipt log " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
