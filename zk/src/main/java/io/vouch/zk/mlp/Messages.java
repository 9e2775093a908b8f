package io.vouch.zk.mlp;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.sumcheck.SumCheckProof;
import io.vouch.zk.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;

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

  private Messages(Transcript transcript, List<long[]> messages, boolean reading) {
    this.transcript = transcript;
    this.messages = messages;
    this.reading = reading;
  }

  static Messages writer(Transcript transcript) {
    return new Messages(transcript, new ArrayList<>(), false);
  }

  static Messages reader(Transcript transcript, List<long[]> messages) {
    return new Messages(transcript, messages, true);
  }

  Transcript transcript() {
    return transcript;
  }

  List<long[]> written() {
    return messages;
  }

  /** Prover: absorbs and appends. */
  void send(String label, long[] values) {
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
