package io.vouch.node.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Signature;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

class JournalTest {
  @TempDir Path dir;

  static final BigInteger R1 = BigInteger.ONE;
  static final BigInteger R2 = BigInteger.TWO;

  static JournalEntry.Accepted accepted(BigInteger id, int attempt, long deadline) {
    return new JournalEntry.Accepted(
        id, attempt, deadline, Bytes32.ZERO, 0, new byte[] {1, 2, (byte) id.intValue()});
  }

  /** A line as the journal writes it: CRC32C of the payload in hex, a space, the payload. */
  static String line(String payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue()) + " " + payload + "\n";
  }

  static final String ACCEPTED_R1 =
      "{\"type\":\"accepted\",\"request\":\"1\",\"attempt\":1,\"deadline\":100,\"model\":\""
          + Bytes32.ZERO.toHex()
          + "\",\"level\":0,\"input\":\"AQIB\"}";

  @Test
  void reopenedJournalRemembersPendingSubmittedAndClosedWork() {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(accepted(R1, 1, 100));
      j.append(accepted(R2, 1, 100));
      j.append(new JournalEntry.Submitted(R2, 1, "0xabc"));
      j.append(new JournalEntry.Checkpoint(42));
      j.append(new JournalEntry.SequenceReserved(1000));
    }

    try (Journal j = Journal.open(f)) {
      assertThat(j.pending()).extracting(Journal.RequestState::requestId).containsExactly(R1);
      assertThat(j.awaitingFinalization())
          .extracting(Journal.RequestState::requestId)
          .containsExactly(R2);
      assertThat(j.request(R2).submittedTx()).isEqualTo("0xabc");
      assertThat(j.request(R1).input()).containsExactly(1, 2, 1);
      assertThat(j.checkpoint()).isEqualTo(42);
      assertThat(j.sequenceReserved()).isEqualTo(1000);
      j.append(new JournalEntry.Closed(R2, "finalized"));
    }
    try (Journal j = Journal.open(f)) {
      assertThat(j.awaitingFinalization()).isEmpty();
    }
  }

  @Test
  void eachLineIsTheEntrysJsonBehindItsCrc32c() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(new JournalEntry.Checkpoint(42));
    }

    assertThat(Files.readString(f)).isEqualTo("597470a0 {\"type\":\"checkpoint\",\"block\":42}\n");
  }

  @Test
  void tornFinalLineFromACrashIsDroppedAndTheJournalStaysWritable() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(accepted(R1, 1, 100));
    }
    Files.writeString(f, "{\"type\":\"submitted\",\"requ", StandardOpenOption.APPEND);

    try (Journal j = Journal.open(f)) {
      assertThat(j.pending()).hasSize(1);
      j.append(new JournalEntry.Submitted(R1, 1, "0x1"));
    }
    try (Journal j = Journal.open(f)) {
      assertThat(j.request(R1).submitted()).isTrue();
    }
    assertThat(Files.readAllLines(f, StandardCharsets.UTF_8)).hasSize(2);
  }

  @Test
  void aLastLineWithoutItsNewlineIsDroppedAndTheNextEntryFollowsTheLastCompleteLine()
      throws Exception {
    // The scenario: a crash persisted a complete line but not its newline; the old open()
    // positioned one byte past the end, the next append left a NUL hole, and the reopen after that
    // read "{checkpoint}\0{submitted}" as the checkpoint alone — the submission was lost.
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(accepted(R1, 1, 100));
      j.append(new JournalEntry.Checkpoint(7));
    }
    cutTo(f, Files.size(f) - 1);

    try (Journal j = Journal.open(f)) {
      j.append(new JournalEntry.Submitted(R1, 1, "0x1"));
    }
    try (Journal j = Journal.open(f)) {
      assertThat(j.request(R1).submittedTx()).isEqualTo("0x1");
      assertThat(j.checkpoint()).isEqualTo(-1); // its append never returned: nobody acted on it
    }
    byte[] bytes = Files.readAllBytes(f);
    assertThat(bytes).doesNotContain((byte) 0);
    assertThat(new String(bytes, StandardCharsets.UTF_8).lines()).hasSize(2);
  }

  @Test
  void halfALineAtTheEndIsDropped() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(accepted(R1, 1, 100));
    }
    long complete = Files.size(f);
    try (Journal j = Journal.open(f)) {
      j.append(new JournalEntry.Submitted(R1, 1, "0x1"));
    }
    cutTo(f, complete + (Files.size(f) - complete) / 2);

    try (Journal j = Journal.open(f)) {
      assertThat(j.request(R1).submitted()).isFalse();
    }
    assertThat(Files.size(f)).isEqualTo(complete);
  }

  @Test
  void garbageAfterTheLastCompleteLineIsDropped() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(accepted(R1, 1, 100));
    }
    long complete = Files.size(f);
    Files.write(
        f,
        "x7\n{\"type\":\"checkpoint\",\"block\":9}\n\r\u00ff".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);

    try (Journal j = Journal.open(f)) {
      assertThat(j.pending()).hasSize(1);
      assertThat(j.checkpoint()).isEqualTo(-1);
    }
    assertThat(Files.size(f)).isEqualTo(complete);
  }

  @Test
  void nulBytesAfterTheLastCompleteLineAreDropped() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(accepted(R1, 1, 100));
    }
    long complete = Files.size(f);
    Files.write(f, new byte[4096], StandardOpenOption.APPEND);

    try (Journal j = Journal.open(f)) {
      assertThat(j.pending()).hasSize(1);
      j.append(new JournalEntry.Checkpoint(3));
    }
    try (Journal j = Journal.open(f)) {
      assertThat(j.checkpoint()).isEqualTo(3);
    }
    assertThat(Files.readAllBytes(f)).doesNotContain((byte) 0);
    assertThat(Files.size(f)).isGreaterThan(complete).isLessThan(complete + 100);
  }

  @Test
  void aChecksumMismatchInTheLastLineIsATornWriteAndDropped() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(
        f,
        line(ACCEPTED_R1)
            + line("{\"type\":\"submitted\",\"request\":\"1\",\"attempt\":1,\"tx\":\"0x1\"}")
                .replace("0x1", "0x2"));

    try (Journal j = Journal.open(f)) {
      assertThat(j.request(R1).submitted()).isFalse();
    }
    assertThat(Files.readString(f)).isEqualTo(line(ACCEPTED_R1));
  }

  @Test
  void aChecksumMismatchInTheMiddleIsRefusedNamingFileLineAndRemedy() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(
        f,
        line(ACCEPTED_R1)
            + line("{\"type\":\"checkpoint\",\"block\":1}").replace(":1}", ":5}")
            + line("{\"type\":\"checkpoint\",\"block\":2}"));

    assertThatThrownBy(() -> Journal.open(f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("line 2")
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("move the file aside");
  }

  @Test
  void aLineWithoutChecksumInTheMiddleIsRefusedNamingTheLine() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(
        f,
        line(ACCEPTED_R1)
            + line("{\"type\":\"checkpoint\",\"block\":1}")
            + "{\"type\":\"checkpoint\",\"block\":5}\n"
            + line("{\"type\":\"checkpoint\",\"block\":2}"));

    assertThatThrownBy(() -> Journal.open(f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 3");
  }

  @Test
  void aCorruptLegacyLineInTheMiddleIsAnErrorNamingTheLine() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(
        f,
        "{\"type\":\"checkpoint\",\"block\":1}\nnot json\n{\"type\":\"checkpoint\",\"block\":2}\n");

    assertThatThrownBy(() -> Journal.open(f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void contentAfterTheJsonObjectOfACompleteLineIsRefused() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(
        f, line("{\"type\":\"checkpoint\",\"block\":1}{\"type\":\"checkpoint\",\"block\":2}"));

    assertThatThrownBy(() -> Journal.open(f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("Trailing token");
  }

  @Test
  void aCompleteEntryMissingAFieldIsRefusedNamingTheField() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(
        f, line("{\"type\":\"submitted\",\"request\":\"1\",\"tx\":\"0x1\"}") + line(ACCEPTED_R1));

    assertThatThrownBy(() -> Journal.open(f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("'submitted' entry: field 'attempt' is missing");
  }

  @Test
  void aLegacyJournalIsReadAndRewrittenWithChecksumsKeepingTheOriginal() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    String legacy = ACCEPTED_R1 + "\n{\"type\":\"checkpoint\",\"block\":4}\n";
    Files.writeString(f, legacy);

    try (Journal j = Journal.open(f)) {
      assertThat(j.pending()).hasSize(1);
      assertThat(j.checkpoint()).isEqualTo(4);
    }
    assertThat(Files.readString(f))
        .isEqualTo(line(ACCEPTED_R1) + line("{\"type\":\"checkpoint\",\"block\":4}"));
    assertThat(Files.readString(dir.resolve("journal.jsonl.legacy"))).isEqualTo(legacy);
  }

  @Test
  void aLegacyLineWithTheNulHoleOfThePreviousVersionYieldsBothEntries() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(
        f,
        ACCEPTED_R1
            + "\n{\"type\":\"checkpoint\",\"block\":7}\0"
            + "{\"type\":\"submitted\",\"request\":\"1\",\"attempt\":1,\"tx\":\"0x1\"}\n");

    try (Journal j = Journal.open(f)) {
      assertThat(j.checkpoint()).isEqualTo(7);
      assertThat(j.request(R1).submittedTx()).isEqualTo("0x1");
    }
    assertThat(Files.readAllBytes(f)).doesNotContain((byte) 0);
  }

  @Test
  void aLegacyLastLineWithoutItsNewlineIsKeptAndTheNextEntryIsNotLost() throws Exception {
    // The previous version applied such a line, so the node may have acted on it: keep it.
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(f, ACCEPTED_R1 + "\n{\"type\":\"checkpoint\",\"block\":7}");

    try (Journal j = Journal.open(f)) {
      assertThat(j.checkpoint()).isEqualTo(7);
      j.append(new JournalEntry.Submitted(R1, 1, "0x1"));
    }
    try (Journal j = Journal.open(f)) {
      assertThat(j.checkpoint()).isEqualTo(7);
      assertThat(j.request(R1).submittedTx()).isEqualTo("0x1");
    }
    assertThat(Files.readAllBytes(f)).doesNotContain((byte) 0);
  }

  @Test
  void creatingTheJournalInDirectoriesThatDoNotExistYetWorks() {
    Path f = dir.resolve("new/data/dir/journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(new JournalEntry.Checkpoint(1));
    }

    try (Journal j = Journal.open(f)) {
      assertThat(j.checkpoint()).isEqualTo(1);
    }
  }

  @Test
  void reassignedBackToUsIsANewAttemptWithNoSubmission() {
    try (Journal j = Journal.open(dir.resolve("j"))) {
      j.append(accepted(R1, 1, 100));
      j.append(new JournalEntry.Submitted(R1, 1, "0x1"));
      j.append(accepted(R1, 3, 300));

      assertThat(j.request(R1).attempt()).isEqualTo(3);
      assertThat(j.request(R1).submitted()).isFalse();
    }
  }

  @Test
  void checkpointsNeverMoveBackwards() {
    try (Journal j = Journal.open(dir.resolve("j"))) {
      j.append(new JournalEntry.Checkpoint(10));
      j.append(new JournalEntry.Checkpoint(7));

      assertThat(j.checkpoint()).isEqualTo(10);
    }
  }

  static JournalEntry.Deployment deployment(int blockHashByte) {
    byte[] hash = new byte[32];
    hash[31] = (byte) blockHashByte;
    return new JournalEntry.Deployment(
        31337,
        Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3"),
        3,
        Bytes32.wrap(hash));
  }

  @Test
  void aNewJournalRecordsItsDeploymentAsItsFirstEntry() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.bindTo(deployment(1));
      j.append(new JournalEntry.Checkpoint(5));
    }

    assertThat(Files.readAllLines(f).getFirst())
        .contains("{\"type\":\"deployment\",\"chainId\":31337,");
    try (Journal j = Journal.open(f)) {
      assertThat(j.deployment()).hasValue(deployment(1));
    }
  }

  @Test
  void bindingAgainToTheSameDeploymentWritesNothing() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.bindTo(deployment(1));
    }
    long size = Files.size(f);

    try (Journal j = Journal.open(f)) {
      j.bindTo(deployment(1));
    }

    assertThat(Files.size(f)).isEqualTo(size);
  }

  @Test
  void aJournalOfAnotherDeploymentIsRefusedNamingBothAndTheFix() {
    Path f = dir.resolve("node-0").resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.bindTo(deployment(1));
      j.append(new JournalEntry.Checkpoint(61));
    }

    try (Journal j = Journal.open(f)) {
      assertThatThrownBy(() -> j.bindTo(deployment(2)))
          .isInstanceOf(ForeignJournalException.class)
          .hasMessageContaining("belongs to another deployment")
          .hasMessageContaining(deployment(1).deploymentBlockHash().toHex())
          .hasMessageContaining(deployment(2).deploymentBlockHash().toHex())
          .hasMessageContaining("--data-dir")
          .hasMessageContaining("move " + dir.resolve("node-0") + " aside");
      assertThat(j.checkpoint()).isEqualTo(61);
    }
  }

  @Test
  void aJournalFromBeforeDeploymentsWereRecordedIsBoundToTheFirstItIsOpenedWith() {
    Path f = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(f)) {
      j.append(new JournalEntry.Checkpoint(7));
    }

    try (Journal j = Journal.open(f)) {
      j.bindTo(deployment(1));
    }

    try (Journal j = Journal.open(f)) {
      assertThat(j.deployment()).hasValue(deployment(1));
      assertThat(j.checkpoint()).isEqualTo(7);
      assertThatThrownBy(() -> j.bindTo(deployment(2))).isInstanceOf(ForeignJournalException.class);
    }
  }

  /**
   * Writes random entries, cuts the file at every byte of the last line (alone, or followed by
   * garbage or NUL bytes at seeded cuts), reopens, and checks that exactly the complete entries are
   * there, and that an append and a reopen then give the file a clean journal would have.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void everyCutOfTheLastWriteReopensToExactlyTheCompleteEntries(long seed) throws Exception {
    Random random = new Random(seed);
    List<JournalEntry> entries = new ArrayList<>();
    for (int i = 1 + random.nextInt(12); i > 0; i--) {
      entries.add(randomEntry(random));
    }
    JournalEntry next = randomEntry(random);
    byte[] full = journalBytes("full", entries);
    int lastStart = journalBytes("prefix", entries.subList(0, entries.size() - 1)).length;
    List<JournalEntry> all = new ArrayList<>(entries);
    all.add(next);
    List<JournalEntry> allButLast = new ArrayList<>(entries.subList(0, entries.size() - 1));
    allButLast.add(next);
    byte[] afterAll = journalBytes("afterAll", all);
    byte[] afterAllButLast = journalBytes("afterAllButLast", allButLast);
    List<Object> before = stateOf(entries);
    List<Object> beforeButLast = stateOf(entries.subList(0, entries.size() - 1));
    List<Object> after = stateOf(all);
    List<Object> afterButLast = stateOf(allButLast);

    Path f = dir.resolve("cut.jsonl");
    for (int cut = lastStart; cut <= full.length; cut++) {
      for (int tail = 0; tail < 3; tail++) {
        if (tail > 0 && random.nextInt(8) != 0) {
          continue; // garbage and NUL tails at a seeded eighth of the cuts
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(full, 0, cut);
        file.write(tail == 0 ? new byte[0] : tail == 1 ? garbage(random) : new byte[1 + cut]);
        Files.write(f, file.toByteArray());
        boolean complete = cut == full.length;
        String what = "cut at " + cut + " of " + full.length + ", tail " + tail;

        try (Journal j = Journal.open(f)) {
          assertThat(state(j))
              .as(what)
              .usingRecursiveComparison()
              .isEqualTo(complete ? before : beforeButLast);
          j.append(next);
        }
        try (Journal j = Journal.open(f)) {
          assertThat(state(j))
              .as(what)
              .usingRecursiveComparison()
              .isEqualTo(complete ? after : afterButLast);
        }
        assertThat(Files.readAllBytes(f)).as(what).isEqualTo(complete ? afterAll : afterAllButLast);
      }
    }
  }

  private byte[] journalBytes(String name, List<JournalEntry> entries) throws Exception {
    Path f = dir.resolve("reference-" + name);
    try (Journal j = Journal.open(f)) {
      entries.forEach(j::append);
    }
    return Files.readAllBytes(f);
  }

  private List<Object> stateOf(List<JournalEntry> entries) throws Exception {
    Path f = Files.createTempFile(dir, "state", ".jsonl");
    Files.delete(f);
    try (Journal j = Journal.open(f)) {
      entries.forEach(j::append);
      return state(j);
    }
  }

  private static List<Object> state(Journal j) {
    return List.of(
        j.requests(), j.vouchers(), j.receiptBatches(), j.checkpoint(), j.sequenceReserved());
  }

  private static JournalEntry randomEntry(Random random) {
    BigInteger request = BigInteger.valueOf(random.nextInt(4));
    return switch (random.nextInt(9)) {
      case 0 ->
          new JournalEntry.Accepted(
              request,
              random.nextInt(3),
              random.nextLong(),
              bytes32(random),
              random.nextInt(3),
              bytes(random, random.nextInt(80)));
      case 1 -> new JournalEntry.Submitted(request, random.nextInt(3), text(random));
      case 2 -> new JournalEntry.Closed(request, text(random));
      case 3 -> new JournalEntry.Checkpoint(random.nextLong(1_000_000));
      case 4 -> new JournalEntry.SequenceReserved(random.nextLong(1_000_000));
      case 5 ->
          new JournalEntry.VoucherHeld(
              Address.wrap(bytes(random, 20)), new BigInteger(100, random), signature(random));
      case 6 ->
          new JournalEntry.VoucherRedeemed(
              Address.wrap(bytes(random, 20)),
              new BigInteger(100, random),
              new BigInteger(90, random),
              text(random));
      case 7 ->
          new JournalEntry.ReceiptBatchPrepared(
              bytes32(random), random.nextInt(1000), random.nextInt(1000));
      default ->
          new JournalEntry.ReceiptBatchPosted(bytes32(random), random.nextInt(1000), text(random));
    };
  }

  /** Text with the characters a line format can trip on: quotes, newlines, CR, NUL, non-ASCII. */
  private static String text(Random random) {
    int[] alphabet = "ab0x\"\\\n\r\u0000é€😀 ".codePoints().toArray();
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      s.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
    }
    return s.toString();
  }

  /**
   * Random bytes with a newline inside (a torn tail may span lines), but not first: that would
   * complete a line cut just before its newline.
   */
  private static byte[] garbage(Random random) {
    byte[] g = bytes(random, 2 + random.nextInt(64));
    g[0] = g[0] == '\n' ? (byte) 'x' : g[0];
    g[1 + random.nextInt(g.length - 1)] = '\n';
    return g;
  }

  private static Signature signature(Random random) {
    byte[] rsv = bytes(random, 65);
    rsv[64] = (byte) (27 + random.nextInt(2));
    return Signature.of(rsv);
  }

  private static Bytes32 bytes32(Random random) {
    return Bytes32.wrap(bytes(random, 32));
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void cutTo(Path f, long size) throws Exception {
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, (int) size));
  }
}
