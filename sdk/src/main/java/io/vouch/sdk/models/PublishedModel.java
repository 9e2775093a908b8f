package io.vouch.sdk.models;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.evidence.ToleranceRule;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;

/**
 * A model version as the ModelRegistry records it.
 *
 * @param cid content id of the ONNX file on the hub
 * @param auditRateBps the chance in basis points that a VANILLA result is audited (see {@link
 *     AuditTerms})
 * @param tolerance the rule audits compare under, as the registry encodes it ({@link
 *     #toleranceRule})
 * @param txHash the publishing transaction, when known (always after a push; from the registry's
 *     logs for list and show, empty if the RPC endpoint cannot serve them)
 */
public record PublishedModel(
    Bytes32 modelId,
    String name,
    int version,
    String cid,
    Set<VerificationLevel> levels,
    BigInteger feeWei,
    Address owner,
    Bytes32 schemaHash,
    Bytes32 zkModelId,
    long challengeWindowSeconds,
    long publishedAt,
    int auditRateBps,
    Bytes32 tolerance,
    Optional<String> txHash) {

  public PublishedModel {
    levels = Set.copyOf(levels);
  }

  public String ref() {
    return name + "@" + version;
  }

  public boolean allows(VerificationLevel level) {
    return levels.contains(level);
  }

  /** The same entry with the publishing transaction's hash. */
  public PublishedModel withTx(String hash) {
    return new PublishedModel(
        modelId,
        name,
        version,
        cid,
        levels,
        feeWei,
        owner,
        schemaHash,
        zkModelId,
        challengeWindowSeconds,
        publishedAt,
        auditRateBps,
        tolerance,
        Optional.of(hash));
  }

  /** The audits' rule; empty when the registry holds an encoding this SDK does not know. */
  public Optional<ToleranceRule> toleranceRule() {
    return ToleranceRule.decode(tolerance);
  }
}
