package io.vouch.sdk.models;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to publish with a model file.
 *
 * @param name repository name, {@code [a-z0-9][a-z0-9._-]{0,63}} (the hub's rule, so the name is
 *     the same on the hub and on chain); the first publisher of a name owns it
 * @param version a positive whole number; versions are immutable
 * @param levels the verification levels requesters may ask for
 * @param feeWei what the model owner earns per request
 * @param schemaHash hash of the model's input/output schema. The SDK does not parse ONNX (it must
 *     not depend on the onnx module), so the caller computes it; the CLI does so with the onnx
 *     module's schema extraction
 * @param zkModelId commitment of the integer model for ZKML, or {@link Bytes32#ZERO} when the model
 *     is not ZK-enabled
 * @param audit how the version's VANILLA results are audited; empty: the registry's defaults
 */
public record PushRequest(
    String name,
    int version,
    Set<VerificationLevel> levels,
    BigInteger feeWei,
    Bytes32 schemaHash,
    Bytes32 zkModelId,
    Optional<AuditTerms> audit) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public PushRequest {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "model name '"
              + name
              + "' is not allowed; use 1 to 64 of a-z 0-9 . _ - starting with a letter or digit");
    }
    if (version <= 0) {
      throw new IllegalArgumentException("model versions start at 1, got " + version);
    }
    if (levels == null || levels.isEmpty()) {
      throw new IllegalArgumentException(
          "give at least one verification level (vanilla, tee, zkml)");
    }
    levels = Set.copyOf(levels);
    if (feeWei == null || feeWei.signum() < 0) {
      throw new IllegalArgumentException("the fee must be zero or more wei, got " + feeWei);
    }
    if (schemaHash == null) {
      throw new IllegalArgumentException(
          "give the model's schema hash (the CLI computes it from the ONNX file)");
    }
    if (zkModelId == null) {
      zkModelId = Bytes32.ZERO;
    }
    if (levels.stream().anyMatch(VerificationLevel::carriesProof) && zkModelId.isZero()) {
      throw new IllegalArgumentException(
          "a model that allows ZKML needs its zkModelId (the integer model's commitment)");
    }
    audit = audit == null ? Optional.empty() : audit;
    if (audit.isPresent() && levels.stream().noneMatch(VerificationLevel::isAudited)) {
      throw new IllegalArgumentException(
          "audit terms apply to VANILLA results, and this version allows only "
              + levels
              + "; add vanilla to its levels or leave the audit terms out");
    }
  }

  /** A request with the registry's default audit terms. */
  public PushRequest(
      String name,
      int version,
      Set<VerificationLevel> levels,
      BigInteger feeWei,
      Bytes32 schemaHash,
      Bytes32 zkModelId) {
    this(name, version, levels, feeWei, schemaHash, zkModelId, Optional.empty());
  }

  /** The same request with its own audit terms. */
  public PushRequest withAudit(AuditTerms terms) {
    return new PushRequest(
        name, version, levels, feeWei, schemaHash, zkModelId, Optional.of(terms));
  }

  /** A VANILLA-only, non-ZK model. */
  public static PushRequest vanilla(String name, int version, BigInteger feeWei, Bytes32 schema) {
    return new PushRequest(
        name, version, Set.of(VerificationLevel.VANILLA), feeWei, schema, Bytes32.ZERO);
  }

  public String ref() {
    return name + "@" + version;
  }
}
