package io.vouch.node.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Bytes32;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReceiptLogTest {
  @TempDir Path dir;

  static final Bytes32 A = digest(1);
  static final Bytes32 B = digest(2);
  static final Bytes32 C = digest(3);

  static Bytes32 digest(int n) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) n);
    return Bytes32.wrap(b);
  }

  /** A line as the log writes it: CRC32C of the digest's hex text, a space, the hex text. */
  static String line(Bytes32 digest) {
    CRC32C crc = new CRC32C();
    crc.update(digest.toHex().getBytes(StandardCharsets.US_ASCII));
    return HexFormat.of().toHexDigits((int) crc.getValue()) + " " + digest.toHex() + "\n";
  }

  @Test
  void reopenedLogKeepsEveryDigestAtItsPosition() throws Exception {
    Path f = dir.resolve("receipts.log");
    try (ReceiptLog log = ReceiptLog.open(f)) {
      log.append(A);
      log.append(B);
    }

    try (ReceiptLog log = ReceiptLog.open(f)) {
      assertThat(log.range(0, log.size())).containsExactly(A, B);
      assertThat(log.positionOf(B)).hasValue(1);
    }
    assertThat(Files.readString(f)).isEqualTo(line(A) + line(B));
  }

  @Test
  void aDigestWithoutItsNewlineIsDroppedAndTheNextGoesRightAfterTheLastCompleteLine()
      throws Exception {
    Path f = dir.resolve("receipts.log");
    try (ReceiptLog log = ReceiptLog.open(f)) {
      log.append(A);
      log.append(B);
    }
    cutTo(f, Files.size(f) - 1);

    try (ReceiptLog log = ReceiptLog.open(f)) {
      assertThat(log.size()).isEqualTo(1);
      log.append(C);
    }
    try (ReceiptLog log = ReceiptLog.open(f)) {
      assertThat(log.range(0, log.size())).containsExactly(A, C);
    }
    assertThat(Files.readAllBytes(f)).doesNotContain((byte) 0);
  }

  @Test
  void aDamagedLineFollowedByCompleteOnesIsRefusedNamingTheLine() throws Exception {
    Path f = dir.resolve("receipts.log");
    Files.writeString(f, line(A) + line(B).replace('2', '4') + line(C));

    assertThatThrownBy(() -> ReceiptLog.open(f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("line 2")
        .hasMessageContaining("truncate");
  }

  @Test
  void aLegacyLogIsRewrittenWithChecksumsAndKeepsItsPositions() throws Exception {
    Path f = dir.resolve("receipts.log");
    Files.writeString(f, A.toHex() + "\n" + B.toHex() + "\n");

    try (ReceiptLog log = ReceiptLog.open(f)) {
      assertThat(log.range(0, log.size())).containsExactly(A, B);
    }
    assertThat(Files.readString(f)).isEqualTo(line(A) + line(B));
  }

  @Test
  void aLegacyLineWithTheNulHoleOfThePreviousVersionKeepsBothDigests() throws Exception {
    // The previous version kept a digest that had lost its newline, then wrote the next one a
    // byte past the end of the file: a NUL where the newline belonged.
    Path f = dir.resolve("receipts.log");
    Files.writeString(f, A.toHex() + "\n" + B.toHex() + "\0" + C.toHex() + "\n");

    try (ReceiptLog log = ReceiptLog.open(f)) {
      assertThat(log.range(0, log.size())).containsExactly(A, B, C);
    }
    assertThat(Files.readAllBytes(f)).doesNotContain((byte) 0);
  }

  @Test
  void creatingTheLogInDirectoriesThatDoNotExistYetWorks() {
    Path f = dir.resolve("new/data/receipts.log");
    try (ReceiptLog log = ReceiptLog.open(f)) {
      log.append(A);
      log.force();
    }

    try (ReceiptLog log = ReceiptLog.open(f)) {
      assertThat(log.range(0, log.size())).containsExactly(A);
    }
  }

  /**
   * Cuts the file at every byte of the last line, alone or followed by garbage or NUL bytes, and
   * checks that exactly the complete digests come back and the next one lands where it belongs.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void everyCutOfTheLastWriteReopensToExactlyTheCompleteDigests(long seed) throws Exception {
    Random random = new Random(seed);
    List<Bytes32> digests = new ArrayList<>();
    for (int i = 1 + random.nextInt(6); i > 0; i--) {
      digests.add(Bytes32.wrap(bytes(random, 32)));
    }
    Bytes32 next = Bytes32.wrap(bytes(random, 32));
    Path reference = dir.resolve("reference.log");
    try (ReceiptLog log = ReceiptLog.open(reference)) {
      digests.forEach(log::append);
    }
    byte[] full = Files.readAllBytes(reference);
    int lastStart = full.length - line(digests.getLast()).length();

    Path f = dir.resolve("cut.log");
    for (int cut = lastStart; cut <= full.length; cut++) {
      for (int tail = 0; tail < 3; tail++) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(full, 0, cut);
        file.write(tail == 0 ? new byte[0] : tail == 1 ? garbage(random) : new byte[cut]);
        Files.write(f, file.toByteArray());
        List<Bytes32> expected =
            new ArrayList<>(cut == full.length ? digests : digests.subList(0, digests.size() - 1));
        String what = "cut at " + cut + " of " + full.length + ", tail " + tail;

        try (ReceiptLog log = ReceiptLog.open(f)) {
          assertThat(log.range(0, log.size())).as(what).isEqualTo(expected);
          assertThat(log.append(next)).isEqualTo(expected.size());
        }
        expected.add(next);
        try (ReceiptLog log = ReceiptLog.open(f)) {
          assertThat(log.range(0, log.size())).as(what).isEqualTo(expected);
        }
        assertThat(Files.readString(f, StandardCharsets.US_ASCII))
            .as(what)
            .isEqualTo(String.join("", expected.stream().map(ReceiptLogTest::line).toList()));
      }
    }
  }

  /**
   * Random bytes with a newline inside (a torn tail may span lines), but not first: that would
   * complete a line cut just before its newline.
   */
  private static byte[] garbage(Random random) {
    byte[] g = bytes(random, 2 + random.nextInt(100));
    g[0] = g[0] == '\n' ? (byte) 'x' : g[0];
    g[1 + random.nextInt(g.length - 1)] = '\n';
    return g;
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void cutTo(Path f, long size) throws Exception {
    Files.write(f, Arrays.copyOf(Files.readAllBytes(f), (int) size));
  }
}
