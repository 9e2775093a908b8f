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
}
