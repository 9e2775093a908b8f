package io.vouch.chain.registry;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.util.Set;

/**
 * A published model version as the ModelRegistry records it ({@code getModel}): what requests for
 * it are held to.
 *
 * @param cid content id of the ONNX file on the model hub
 * @param schemaHash hash of the model's input/output schema
 * @param zkModelId commitment of the integer model for ZKML; zero when the model is not ZK-enabled
 * @param levels the verification levels requesters may ask for
 * @param feeWei what the owner earns per request
 * @param challengeWindowSeconds how long a VANILLA result waits before it can finalize
 * @param publishedAt chain time of publication
 * @param auditRateBps the chance, in basis points, that a VANILLA result is audited
 * @param tolerance how an audit compares outputs (byte 0 the rule, bytes 1..4 its ε)
 */
public record ModelTerms(
    Bytes32 modelId,
    Address owner,
    String name,
    int version,
    String cid,
    Bytes32 schemaHash,
    Bytes32 zkModelId,
    Set<VerificationLevel> levels,
    BigInteger feeWei,
    long challengeWindowSeconds,
    long publishedAt,
    int auditRateBps,
    Bytes32 tolerance) {

  public ModelTerms {
    levels = Set.copyOf(levels);
  }

  /** {@code name@version}. */
  public String ref() {
    return name + "@" + version;
  }
}
