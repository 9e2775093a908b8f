package io.vouch.node.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of checksummed lines, the on-disk form of the journal and of the receipt log.
 * Each line is {@code <crc> <payload>\n}, where {@code <crc>} is the CRC32C of the payload's UTF-8
 * bytes as 8 lower-case hex digits, e.g. {@code 597470a0 {"type":"checkpoint","block":42}}: still
 * one readable record per line, and a damaged one is recognized.
 *
 * <p><b>Complete lines.</b> A line is complete when all of it, newline included, is on disk and its
 * checksum matches. Lines are written one at a time at the end of the last complete line, so a
 * crash can only damage what follows it. On open, that tail — a line without its newline, half a
 * line, garbage or NUL bytes after a line, a checksum mismatch in the last line — is a torn write:
 * it is cut off (with a warning naming the bytes dropped) and appends continue from the real end of
 * the file. A damaged line followed by a complete one cannot come from a crash: opening refuses,
 * naming the file, the line and its byte offset, and what to do. A complete line whose payload does
 * not decode is refused too: it was written whole, so dropping it would lose a record.
 *
 * <p><b>Files written before checksums</b> (one payload per line, no {@code <crc>}; recognized by
 * the format's legacy prefix on the first line) are read the way the previous version read them,
 * since the node may have acted on that reading: every payload that decodes counts, with or without
 * its newline. The previous version positioned one byte past the end of a file whose last line had
 * lost its newline, so its next append left a NUL byte where the newline belonged; such a line
 * ({@code A\0B}) holds two payloads and both are read. A bad payload followed by good ones is
 * refused as above; bad payloads at the end are a torn write. The file is then rewritten with
 * checksums (through a temporary file, forced and renamed over it) and the original kept next to it
 * with the suffix {@code .legacy}. The previous version cannot read the new format: no downgrade.
 *
 * <p><b>Directories.</b> Creating the file fsyncs its directory, and every directory created for
 * it, so that a power loss does not lose the file's name after its lines were forced (the rewrite
 * of a legacy file fsyncs the directory after its rename). Where the platform cannot open a
 * directory (Windows, whose file systems need no directory fsync) the step is skipped; where the
 * file system refuses the fsync, a warning says so and the file is used anyway.
 */
public final class ChecksummedLineFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChecksummedLineFile.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final int CRC_DIGITS = 8;

  /**
   * What a file holds: its name in messages ({@code "journal"}), how one payload decodes (throwing
   * {@link RuntimeException} with the reason when it does not), how the first line of a file from
   * before checksums begins, and what an operator should do when the file is damaged in the middle.
   */
  public record Format<T>(
      String what, Function<String, T> decode, String legacyPrefix, String remedy) {}

  /** The opened file, positioned at its real end, and the decoded payloads of its lines. */
  public record Opened<T>(ChecksummedLineFile file, List<T> entries) {}

  private final Path file;
  private final String what;
  private final FileChannel channel;
  private long end;
  private IOException unusable; // a failed write that could not be undone

  private ChecksummedLineFile(Path file, String what, FileChannel channel) {
    this.file = file;
    this.what = what;
    this.channel = channel;
  }

  /**
   * Opens (creating if needed, with its directories) the file, cuts off a torn final write, and
   * decodes every complete line.
   *
   * @throws IllegalStateException when a line in the middle is damaged or a complete line does not
   *     decode
   */
  public static <T> Opened<T> open(Path file, Format<T> format) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      List<Path> toSync = new ArrayList<>(); // directories that will hold a new name
      if (!Files.exists(file)) {
        for (Path d = dir; d != null; d = d.getParent()) {
          toSync.add(d);
          if (Files.exists(d)) {
            break;
          }
        }
      }
      Files.createDirectories(dir);
      if (isLegacy(file, format)) {
        rewriteLegacy(file, format);
      }
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      for (Path d : toSync) {
        syncDirectory(d);
      }
      ChecksummedLineFile f = new ChecksummedLineFile(file, format.what(), ch);
      try {
        return new Opened<>(f, f.recover(format));
      } catch (RuntimeException | IOException e) {
        ch.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open " + format.what() + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file's path. */
  public Path path() {
    return file;
  }

  /** Appends one line; durable after the next {@link #force}. */
  public synchronized void append(String payload) {
    write(payload, false);
  }

  /** Appends one line and forces it to disk before returning. */
  public synchronized void appendAndForce(String payload) {
    write(payload, true);
  }

  /** Forces every appended line to disk. */
  public synchronized void force() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + what + " " + file + ": " + e.getMessage(), e);
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

  /** {@code payload} as a line: {@code <crc> <payload>\n}. */
  private static byte[] frame(String payload) {
    if (payload.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a line's payload cannot hold a newline: " + payload);
    }
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    byte[] line = new byte[CRC_DIGITS + 1 + p.length + 1];
    byte[] crc = HEX.toHexDigits((int) crc(p, 0, p.length)).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(crc, 0, line, 0, CRC_DIGITS);
    line[CRC_DIGITS] = ' ';
    System.arraycopy(p, 0, line, CRC_DIGITS + 1, p.length);
    line[line.length - 1] = '\n';
    return line;
  }

  private void write(String payload, boolean force) {
    if (unusable != null) {
      throw new UncheckedIOException(
          what + " " + file + " is unusable after a failed write; restart to recover it", unusable);
    }
    ByteBuffer b = ByteBuffer.wrap(frame(payload));
    long start = end;
    try {
      while (b.hasRemaining()) {
        channel.write(b, start + b.position());
      }
      if (force) {
        channel.force(false);
      }
      end = start + b.capacity();
    } catch (IOException e) {
      // Take the partial line back: a later line after it would make it damage in the middle.
      try {
        channel.truncate(start);
      } catch (IOException again) {
        e.addSuppressed(again);
        unusable = e;
      }
      throw new UncheckedIOException(
          "cannot write " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** Decodes the complete lines, cuts off a torn tail and positions at the end. */
  private <T> List<T> recover(Format<T> format) throws IOException {
    List<T> entries = new ArrayList<>();
    Damage first = null;
    LineReader lines = new LineReader(Channels.newInputStream(channel.position(0)));
    for (Line l; (l = lines.next()) != null; ) {
      String problem = l.terminated() ? frameProblem(l.bytes()) : "no newline";
      if (problem != null) {
        first = first != null ? first : new Damage(l.number(), l.start(), problem);
        continue;
      }
      if (first != null) {
        throw first.inTheMiddle(what, file, format.remedy());
      }
      byte[] b = l.bytes();
      String payload =
          new String(b, CRC_DIGITS + 1, b.length - CRC_DIGITS - 1, StandardCharsets.UTF_8);
      try {
        entries.add(format.decode().apply(payload));
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            what
                + " "
                + file
                + " line "
                + l.number()
                + " (byte "
                + l.start()
                + ") is complete but does not decode: "
                + e.getMessage()
                + "; "
                + format.remedy(),
            e);
      }
    }
    long size = channel.size();
    end = first == null ? size : first.start();
    if (end < size) {
      channel.truncate(end);
      channel.force(true);
      LOG.warn(
          "{} {}: dropped a torn final write, {} bytes from byte {} (line {}: {})",
          what,
          file,
          size - end,
          end,
          first.line(),
          first.problem());
    }
    return entries;
  }

  /** Why {@code line} (without its newline) is not a checksummed line, or null if it is. */
  private static String frameProblem(byte[] line) {
    if (line.length < CRC_DIGITS + 1 || line[CRC_DIGITS] != ' ') {
      return "no checksum";
    }
    long stated = 0;
    for (int i = 0; i < CRC_DIGITS; i++) {
      int digit = Character.digit(line[i], 16);
      if (digit < 0) {
        return "no checksum";
      }
      stated = stated << 4 | digit;
    }
    long actual = crc(line, CRC_DIGITS + 1, line.length - CRC_DIGITS - 1);
    return stated == actual
        ? null
        : "checksum mismatch: the line states "
            + HEX.toHexDigits((int) stated)
            + ", its content gives "
            + HEX.toHexDigits((int) actual);
  }

  private static long crc(byte[] b, int offset, int length) {
    CRC32C c = new CRC32C();
    c.update(b, offset, length);
    return c.getValue();
  }

  private static boolean isLegacy(Path file, Format<?> format) throws IOException {
    byte[] prefix = format.legacyPrefix().getBytes(StandardCharsets.UTF_8);
    if (!Files.exists(file) || Files.size(file) < prefix.length) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(prefix.length), prefix);
    }
  }

  /**
   * Replaces the lines of {@code file} (not open) with {@code payloads}, atomically: written to a
   * sibling file, forced, renamed over {@code file}, and the directory synced; a crash before the
   * rename leaves the old file (and a stale sibling that the next replace overwrites).
   */
  public static <T> void replace(Path file, Format<T> format, List<String> payloads) {
    Path rewritten = file.resolveSibling(file.getFileName() + ".rewriting");
    try {
      for (String p : payloads) {
        format.decode().apply(p); // never write what would not read back
      }
      try (FileChannel out =
          FileChannel.open(
              rewritten,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        for (String p : payloads) {
          ByteBuffer b = ByteBuffer.wrap(frame(p));
          while (b.hasRemaining()) {
            out.write(b);
          }
        }
        out.force(true);
      }
      Files.move(
          rewritten, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot rewrite " + format.what() + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a file from before checksums (see the class comment) and rewrites it with them. */
  private static <T> void rewriteLegacy(Path file, Format<T> format) throws IOException {
    List<String> payloads = new ArrayList<>();
    Damage first = null;
    int holes = 0;
    try (InputStream in = Files.newInputStream(file)) {
      LineReader lines = new LineReader(in);
      for (Line l; (l = lines.next()) != null; ) {
        List<String> parts = splitAtNul(l.bytes());
        if (parts.isEmpty()) {
          first = first != null ? first : new Damage(l.number(), l.start(), "empty or only NULs");
        }
        holes += Math.max(0, parts.size() - 1);
        for (String part : parts) {
          try {
            format.decode().apply(part);
          } catch (RuntimeException e) {
            first = first != null ? first : new Damage(l.number(), l.start(), e.getMessage());
            continue;
          }
          if (first != null) {
            throw first.inTheMiddle(format.what(), file, format.remedy());
          }
          payloads.add(part);
        }
      }
    }
    Path original = file.resolveSibling(file.getFileName() + ".legacy");
    Files.copy(file, original, StandardCopyOption.REPLACE_EXISTING);
    replace(file, format, payloads);
    LOG.warn(
        "{} {} had no checksums (written by an earlier version): rewrote its {} entries with"
            + " checksums{}{}; the original is kept as {}",
        format.what(),
        file,
        payloads.size(),
        holes == 0 ? "" : ", " + holes + " of them found behind a NUL byte",
        first == null
            ? ""
            : ", dropped a torn final write from line "
                + first.line()
                + " ("
                + first.problem()
                + ")",
        original);
  }

  /** The non-empty runs of {@code line} between NUL bytes, as UTF-8 text. */
  private static List<String> splitAtNul(byte[] line) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= line.length; i++) {
      if (i == line.length || line[i] == 0) {
        if (i > from) {
          parts.add(new String(line, from, i - from, StandardCharsets.UTF_8));
        }
        from = i + 1;
      }
    }
    return parts;
  }

  /**
   * fsync on a directory makes the names in it durable. Skipped where a directory cannot be opened
   * (Windows); a file system that refuses the fsync gets a warning, not a node that cannot start.
   */
  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      try {
        d.force(true);
      } catch (IOException e) {
        LOG.warn(
            "cannot fsync directory {} ({}): a new file in it may not survive a power loss",
            dir,
            e.getMessage());
      }
    } catch (IOException e) {
      // Windows: a directory cannot be opened as a file, and NTFS needs no directory fsync
    }
  }

  /**
   * One line without its newline, numbered from 1, at byte offset {@code start}; {@code terminated}
   * is false for bytes after the last newline.
   */
  private record Line(int number, long start, byte[] bytes, boolean terminated) {}

  /** Splits a stream at {@code \n} only (not at {@code \r}), keeping each line's byte offset. */
  private static final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private int number;
    private long offset;

    LineReader(InputStream in) {
      this.in = in;
    }

    Line next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      long start = offset;
      while (true) {
        if (position == limit) {
          limit = Math.max(0, in.read(buffer));
          position = 0;
          if (limit == 0) {
            return line.size() == 0 ? null : new Line(++number, start, line.toByteArray(), false);
          }
        }
        int newline = position;
        while (newline < limit && buffer[newline] != '\n') {
          newline++;
        }
        line.write(buffer, position, newline - position);
        offset += newline - position;
        position = newline;
        if (newline < limit) {
          position++;
          offset++;
          return new Line(++number, start, line.toByteArray(), true);
        }
      }
    }
  }

  /** The first damaged line: a torn write if nothing complete follows it. */
  private record Damage(int line, long start, String problem) {
    IllegalStateException inTheMiddle(String what, Path file, String remedy) {
      return new IllegalStateException(
          what
              + " "
              + file
              + " line "
              + line
              + " (byte "
              + start
              + ") is damaged ("
              + problem
              + ") and complete lines follow it, so it is not a torn final write but corruption; "
              + remedy);
    }
  }
}
