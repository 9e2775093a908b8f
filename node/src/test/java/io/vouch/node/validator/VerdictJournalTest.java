package io.vouch.node.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.Address;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.Verdict;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerdictJournalTest {
  static final Secp256k1.KeyPair KEY = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("v"));
  static final Eip712Domain COURT = Eip712Domain.of(31337, Address.fromHex("0x" + "11".repeat(20)));

  @TempDir Path dir;

  static Verdict verdict(boolean valid) {
    BigInteger caseId = BigInteger.valueOf(257);
    return new Verdict(caseId, BigInteger.ONE, Keccak.hash("out"), Keccak.hash("proof"), valid, 0);
  }

  @Test
  void aSignedVerdictSurvivesARestartWithItsSignature() {
    Path file = dir.resolve("verdicts.jsonl");
    Verdict v = verdict(true);
    Signature s = v.sign(COURT, KEY);
    try (VerdictJournal j = VerdictJournal.open(file)) {
      j.seat(new VerdictJournal.Seat(v.caseId(), 0));
      j.signed(v, s);
      j.checkpoint(42);
    }
    try (VerdictJournal j = VerdictJournal.open(file)) {
      var open = j.open().get(new VerdictJournal.Seat(v.caseId(), 0));
      assertThat(open).isPresent();
      assertThat(open.get().verdict()).isEqualTo(v);
      assertThat(open.get().signature()).isEqualTo(s);
      assertThat(j.checkpoint()).isEqualTo(42);
    }
  }

  @Test
  void aSecondVerdictForTheSameSeatIsRefusedAcrossRestarts() {
    Path file = dir.resolve("verdicts.jsonl");
    Verdict v = verdict(true);
    try (VerdictJournal j = VerdictJournal.open(file)) {
      j.signed(v, v.sign(COURT, KEY));
    }
    try (VerdictJournal j = VerdictJournal.open(file)) {
      Verdict flipped = verdict(false);
      assertThatThrownBy(() -> j.signed(flipped, flipped.sign(COURT, KEY)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already signed");
      j.done(new VerdictJournal.Seat(v.caseId(), 0), "COUNTED");
    }
    try (VerdictJournal j = VerdictJournal.open(file)) {
      assertThat(j.open()).isEmpty();
      assertThat(j.done()).containsValue("COUNTED");
      Verdict again = verdict(true);
      assertThatThrownBy(() -> j.signed(again, again.sign(COURT, KEY)))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aSeatIsKeptUntilItIsDone() {
    Path file = dir.resolve("verdicts.jsonl");
    VerdictJournal.Seat seat = new VerdictJournal.Seat(BigInteger.valueOf(513), 1);
    try (VerdictJournal j = VerdictJournal.open(file)) {
      j.seat(seat);
      j.seat(seat);
    }
    try (VerdictJournal j = VerdictJournal.open(file)) {
      assertThat(j.open()).containsOnlyKeys(seat);
      assertThat(j.open().get(seat)).isEmpty();
    }
  }

  @Test
  void theCheckpointIsWrittenEveryFewHundredBlocksAndAtCloseAndACrashRereadsAtMostThat()
      throws Exception {
    Path file = dir.resolve("verdicts.jsonl");
    VerdictJournal crashed = VerdictJournal.open(file);
    for (long b = 1; b <= 1_000; b++) {
      crashed.checkpoint(b);
    }
    assertThat(crashed.checkpoint()).isEqualTo(1_000);
    assertThat(java.nio.file.Files.readAllLines(file))
        .as("one line per %d blocks, not one per read", VerdictJournal.CHECKPOINT_EVERY)
        .hasSize(1_000 / VerdictJournal.CHECKPOINT_EVERY);
    // a crash (no close): the next start reads the last checkpoint written, ≤ 256 blocks behind
    try (VerdictJournal j = VerdictJournal.open(file)) {
      assertThat(j.checkpoint())
          .isEqualTo(1_000 / VerdictJournal.CHECKPOINT_EVERY * VerdictJournal.CHECKPOINT_EVERY);
      j.checkpoint(1_001);
    }
    try (VerdictJournal j = VerdictJournal.open(file)) {
      assertThat(j.checkpoint()).as("written at close").isEqualTo(1_001);
    }
  }

  @Test
  void aRereadSeatThatIsDoneIsNeitherJournaledNorSignedAgain() {
    Path file = dir.resolve("verdicts.jsonl");
    Verdict v = verdict(true);
    VerdictJournal.Seat seat = new VerdictJournal.Seat(v.caseId(), 0);
    try (VerdictJournal j = VerdictJournal.open(file)) {
      j.seat(seat);
      j.signed(v, v.sign(COURT, KEY));
      j.done(seat, "COUNTED");
    }
    try (VerdictJournal j = VerdictJournal.open(file)) {
      j.seat(seat); // the CommitteeDrawn event read again after a crash
      assertThat(j.open()).isEmpty();
      assertThatThrownBy(() -> j.signed(v, v.sign(COURT, KEY)))
          .hasMessageContaining("already signed");
    }
  }

  @Test
  void aLongJournalIsRewrittenAtOpenToWhatItSaysAndSaysTheSameAfterwards() throws Exception {
    Path file = dir.resolve("verdicts.jsonl");
    Verdict signedOpen = verdict(false);
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (int c = 0; c < 50; c++) {
      lines.add("{\"type\":\"seat\",\"caseId\":\"" + (1_000 + c) + "\",\"round\":0}");
      lines.add(
          "{\"type\":\"done\",\"caseId\":\""
              + (1_000 + c)
              + "\",\"round\":0,"
              + "\"outcome\":\"COUNTED\"}");
    }
    for (long b = 1; b <= 12_000; b++) {
      lines.add("{\"type\":\"checkpoint\",\"block\":" + b + "}");
    }
    io.vouch.node.journal.ChecksummedLineFile.replace(file, VerdictJournal.FORMAT, lines);
    try (VerdictJournal j = VerdictJournal.open(file)) {
      j.seat(new VerdictJournal.Seat(signedOpen.caseId(), 0));
      j.signed(signedOpen, signedOpen.sign(COURT, KEY));
    }
    java.nio.file.Files.writeString(dir.resolve("verdicts.jsonl.rewriting"), "torn garbage");
    try (VerdictJournal j = VerdictJournal.open(file)) {
      assertThat(j.checkpoint()).isEqualTo(12_000);
      assertThat(j.done())
          .hasSize(50)
          .containsEntry(new VerdictJournal.Seat(BigInteger.valueOf(1_000), 0), "COUNTED");
      assertThat(j.open()).containsOnlyKeys(new VerdictJournal.Seat(signedOpen.caseId(), 0));
      assertThat(j.open().values().iterator().next().orElseThrow().verdict()).isEqualTo(signedOpen);
    }
    assertThat(java.nio.file.Files.readAllLines(file))
        .as("a checkpoint, 50 done seats, one open seat and its verdict")
        .hasSize(1 + 50 + 2);
    try (VerdictJournal j = VerdictJournal.open(file)) {
      assertThat(j.checkpoint()).isEqualTo(12_000);
      assertThat(j.done()).hasSize(50);
      assertThat(j.open()).hasSize(1);
      assertThatThrownBy(() -> j.signed(signedOpen, signedOpen.sign(COURT, KEY)))
          .hasMessageContaining("already signed");
    }
  }
}
