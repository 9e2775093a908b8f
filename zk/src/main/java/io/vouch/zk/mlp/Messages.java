package io.vouch.zk.mlp;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.sumcheck.SumCheckProof;
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The prover's messages after the lookup GKR, in transcript order: written by the prover ({@link
 * #send}), read back by the verifier in the same order ({@link #receive}), each absorbed under its
 * label before the next challenge.
 */
final class Messages {
  private final Transcript transcript;
  private final List<long[]> messages;
  private int next;
  private final boolean reading;
  private final BiFunction<String, long[], long[]> lies; // a lying prover's edits, or null

  private Messages(
      Transcript transcript,
      List<long[]> messages,
      boolean reading,
      BiFunction<String, long[], long[]> lies) {
    this.transcript = transcript;
    this.messages = messages;
    this.reading = reading;
    this.lies = lies;
  }

  static Messages writer(Transcript transcript) {
    return writer(transcript, null);
  }

  /**
   * A writer that passes each {@link #send} through {@code lies} (label, values) before absorbing
   * it: how a cheating prover sends values other than the ones it computed. For soundness tests
   * only; null for none.
   */
  static Messages writer(Transcript transcript, BiFunction<String, long[], long[]> lies) {
    return new Messages(transcript, new ArrayList<>(), false, lies);
  }

  static Messages reader(Transcript transcript, List<long[]> messages) {
    return new Messages(transcript, messages, true, null);
  }

  Transcript transcript() {
    return transcript;
  }

  List<long[]> written() {
    return messages;
  }

  /** Prover: absorbs and appends. */
  void send(String label, long[] values) {
    if (lies != null) {
      values = lies.apply(label, values.clone());
    }
    transcript.absorbLongs(label, values);
    messages.add(values);
  }

  /** Prover: appends a vector whose SHA-256 (computed elsewhere) the transcript absorbs. */
  void sendDigested(String label, long[] values, byte[] digest) {
    transcript.absorb(label, digest);
    messages.add(values);
  }

  /** Prover: appends sum-check rounds that {@code SumCheck.prove} has already absorbed. */
  void sendSumCheck(SumCheckProof proof) {
    for (int i = 0; i < proof.roundCount(); i++) {
      messages.add(proof.rounds()[i]);
    }
  }

  /** Verifier: the next message, which must have {@code length} elements; absorbed. */
  long[] receive(String label, int length) {
    long[] v = take(label, length);
    transcript.absorbLongs(label, v);
    return v;
  }

  /** Verifier: the next message, its SHA-256 absorbed. */
  long[] receiveDigested(String label, int length) {
    long[] v = take(label, length);
    transcript.absorb(label, Statement.foldDigest(v));
    return v;
  }

  /** Verifier: {@code rounds} sum-check rounds of {@code degree + 1} evaluations, not absorbed. */
  SumCheckProof receiveSumCheck(int rounds, int degree) {
    long[][] r = new long[rounds][];
    for (int i = 0; i < rounds; i++) {
      r[i] = take("sum-check round", 2 * (degree + 1));
    }
    return new SumCheckProof(r);
  }

  private long[] take(String label, int length) {
    if (!reading) {
      throw new IllegalStateException("a writer has nothing to receive");
    }
    if (next >= messages.size()) {
      throw new InvalidProofException("proof ends before message '" + label + "'");
    }
    long[] v = messages.get(next++);
    if (v.length != length) {
      throw new InvalidProofException(
          "message '" + label + "' has " + v.length + " elements, expected " + length);
    }
    return v;
  }

  /** Verifier: every message must have been read. */
  void requireAllRead() {
    if (reading && next != messages.size()) {
      throw new InvalidProofException(
          "proof has " + (messages.size() - next) + " messages the protocol does not read");
    }
  }
}
