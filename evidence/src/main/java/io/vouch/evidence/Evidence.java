package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a result carries, besides its outputs, to show how far it can be trusted: made by the
 * level's {@link EvidenceProducer}, checked by its {@link EvidenceVerifier}. The receipt's
 * evidenceHash names it (zero when the signed receipt is all there is).
 */
public sealed interface Evidence {
  VerificationLevel level();

  /**
   * Bytes that travel with the result besides the receipt, whose keccak256 is the receipt's
   * evidenceHash (a node serves them at {@code GET /v1/proofs/{evidenceHash}}); empty when there
   * are none.
   */
  default Optional<byte[]> payload() {
    return Optional.empty();
  }

  /**
   * Whether the hub checks this evidence itself inside {@code submitResult} and settles the request
   * there: nothing is left to finalize after a challenge window.
   */
  default boolean settledOnSubmission() {
    return false;
  }

  /** VANILLA: the receipt signed by the node's staked key is the whole evidence. */
  record NodeSignature() implements Evidence {
    @Override
    public VerificationLevel level() {
      return VerificationLevel.VANILLA;
    }
  }

  /**
   * TEE: the receipt is signed by an enclave key; the attestation document that binds the key
   * (registered in the NodeRegistry, keccak256 = {@code attestationHash}) is its evidence. The hub
   * checks the key's on-chain status at submission and settles at once.
   */
  record EnclaveSignature(Bytes32 attestationHash) implements Evidence {
    @Override
    public VerificationLevel level() {
      return VerificationLevel.TEE;
    }

    @Override
    public boolean settledOnSubmission() {
      return true;
    }
  }

  /** ZKML: a proof ({@code io.vouch.zk.mlp.ZkProof} bytes) of the integer model's inference. */
  record Proof(byte[] bytes) implements Evidence {
    public Proof {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** keccak256 of the proof bytes: the receipt's evidenceHash. */
    public Bytes32 hash() {
      return Keccak.hash(bytes);
    }

    @Override
    public VerificationLevel level() {
      return VerificationLevel.ZKML;
    }

    @Override
    public Optional<byte[]> payload() {
      return Optional.of(bytes.clone());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Proof p && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Proof[" + bytes.length + " bytes, keccak256 " + hash() + "]";
    }
  }
}
