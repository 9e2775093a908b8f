package io.vouch.node.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;

  static final BigInteger R1 = BigInteger.ONE;
  static final BigInteger R2 = BigInteger.TWO;

  static JournalEntry.Accepted accepted(BigInteger id, int attempt, long deadline) {
    return new JournalEntry.Accepted(
        id,
        attempt,
        deadline,
        io.vouch.core.Bytes32.ZERO,
        0,
        new byte[] {1, 2, (byte) id.intValue()});
  }

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
  void corruptLineInTheMiddleIsAnErrorNamingTheLine() throws Exception {
    Path f = dir.resolve("journal.jsonl");
    Files.writeString(
        f,
        "{\"type\":\"checkpoint\",\"block\":1}\nnot json\n{\"type\":\"checkpoint\",\"block\":2}\n");

    assertThatThrownBy(() -> Journal.open(f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 2");
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
}
