package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs the node's receipts with its staked key in the hub's EIP-712 domain. The sequence number is
 * strictly increasing; it starts after the last one the journal recorded, so a restart never reuses
 * one.
 */
public final class ReceiptSigner {
  private final Secp256k1.KeyPair key;
  private final Eip712Domain domain;
  private final Clock clock;
  private final AtomicLong sequence;

  public ReceiptSigner(Secp256k1.KeyPair key, Eip712Domain domain, Clock clock, long lastSequence) {
    this.key = key;
    this.domain = domain;
    this.clock = clock;
    this.sequence = new AtomicLong(lastSequence);
  }

  public SignedReceipt sign(
      Bytes32 requestId,
      Bytes32 modelId,
      Bytes32 inputHash,
      Bytes32 outputHash,
      VerificationLevel level,
      Bytes32 evidenceHash) {
    InferenceReceipt r =
        new InferenceReceipt(
            requestId,
            modelId,
            inputHash,
            outputHash,
            level,
            evidenceHash,
            key.address(),
            clock.instant().getEpochSecond(),
            sequence.incrementAndGet());
    return new SignedReceipt(r, r.sign(domain, key));
  }

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
