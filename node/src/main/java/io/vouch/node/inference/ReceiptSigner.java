package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.evidence.NodeReceipts;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs the node's receipts with its staked key in the hub's EIP-712 domain. Sequence numbers are
 * strictly increasing across restarts: they are reserved in blocks in a durable {@link
 * SequenceStore} before use, and a restart continues above the last reservation (a crash skips at
 * most one block of numbers, never reuses one).
 */
public final class ReceiptSigner implements NodeReceipts {
  /** How many sequence numbers one durable reservation covers. */
  static final long RESERVATION_BLOCK = 1024;

  /** Durable record of the highest sequence number that may have been used. */
  public interface SequenceStore {
    long reserved();

    void reserveUpTo(long upTo);

    /** For tests and tools that need no durability. */
    static SequenceStore inMemory() {
      return new SequenceStore() {
        private long reserved;

        @Override
        public synchronized long reserved() {
          return reserved;
        }

        @Override
        public synchronized void reserveUpTo(long upTo) {
          reserved = Math.max(reserved, upTo);
        }
      };
    }
  }

  private final Secp256k1.KeyPair key;
  private final Eip712Domain domain;
  private final Clock clock;
  private final SequenceStore store;
  private final AtomicLong sequence;
  private volatile long reservedUpTo;

  public ReceiptSigner(
      Secp256k1.KeyPair key, Eip712Domain domain, Clock clock, SequenceStore store) {
    this.key = key;
    this.domain = domain;
    this.clock = clock;
    this.store = store;
    this.reservedUpTo = store.reserved();
    this.sequence = new AtomicLong(reservedUpTo);
  }

  private long nextSequence() {
    long seq = sequence.incrementAndGet();
    if (seq > reservedUpTo) {
      synchronized (this) {
        if (seq > reservedUpTo) {
          long upTo = seq + RESERVATION_BLOCK;
          store.reserveUpTo(upTo);
          reservedUpTo = upTo;
        }
      }
    }
    return seq;
  }

  @Override
  public SignedReceipt sign(
      Bytes32 requestId,
      Bytes32 modelId,
      Bytes32 inputHash,
      Bytes32 outputHash,
      VerificationLevel level,
      Bytes32 evidenceHash) {
    InferenceReceipt r = draft(requestId, modelId, inputHash, outputHash, level, evidenceHash);
    return new SignedReceipt(r, r.sign(domain, key));
  }

  /**
   * The receipt this node would sign, unsigned: names this node, dated now, with the next sequence
   * number (reserved). The TEE level signs it with the enclave key instead ({@code
   * EnclaveSigner.sign}), keeping the node field and the sequence.
   */
  @Override
  public InferenceReceipt draft(
      Bytes32 requestId,
      Bytes32 modelId,
      Bytes32 inputHash,
      Bytes32 outputHash,
      VerificationLevel level,
      Bytes32 evidenceHash) {
    return new InferenceReceipt(
        requestId,
        modelId,
        inputHash,
        outputHash,
        level,
        evidenceHash,
        key.address(),
        clock.instant().getEpochSecond(),
        nextSequence());
  }

  @Override
  public Eip712Domain domain() {
    return domain;
  }

  public io.vouch.core.Address address() {
    return key.address();
  }

  public long lastSequence() {
    return sequence.get();
  }
}
