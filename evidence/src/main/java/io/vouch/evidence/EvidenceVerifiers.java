package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A set of verifiers, at most one per level: hands each result to the verifier of the level it
 * claims. A level without a verifier here is refused, saying so.
 */
public final class EvidenceVerifiers {
  private final Map<VerificationLevel, EvidenceVerifier> byLevel;

  private EvidenceVerifiers(Map<VerificationLevel, EvidenceVerifier> byLevel) {
    this.byLevel = byLevel;
  }

  /**
   * @throws IllegalArgumentException when two verifiers are for the same level
   */
  public static EvidenceVerifiers of(EvidenceVerifier... verifiers) {
    Map<VerificationLevel, EvidenceVerifier> byLevel = new EnumMap<>(VerificationLevel.class);
    for (EvidenceVerifier v : verifiers) {
      if (byLevel.putIfAbsent(v.level(), v) != null) {
        throw new IllegalArgumentException("two verifiers for level " + v.level());
      }
    }
    return new EvidenceVerifiers(byLevel);
  }

  /** These verifiers, with {@code verifier} in place of the one for its level (if any). */
  public EvidenceVerifiers with(EvidenceVerifier verifier) {
    Map<VerificationLevel, EvidenceVerifier> copy = new EnumMap<>(VerificationLevel.class);
    copy.putAll(byLevel);
    copy.put(verifier.level(), verifier);
    return new EvidenceVerifiers(copy);
  }

  /** The levels these verifiers check. */
  public Set<VerificationLevel> levels() {
    return Set.copyOf(byLevel.keySet());
  }

  public Optional<EvidenceVerifier> forLevel(VerificationLevel level) {
    return Optional.ofNullable(byLevel.get(level));
  }

  /** {@link EvidenceVerifier#verify} by the verifier of the level the claim states. */
  public Verdict verify(ResultClaim claim, Bytes32 expectedRequestId, Bytes32 expectedModelId) {
    EvidenceVerifier v = byLevel.get(claim.level());
    return v == null ? missing(claim.level()) : v.verify(claim, expectedRequestId, expectedModelId);
  }

  /** {@link EvidenceVerifier#verifySubmitted} by the verifier of the result's level. */
  public Optional<Verdict> verifySubmitted(SubmittedResult result) {
    EvidenceVerifier v = byLevel.get(result.level());
    return v == null ? Optional.of(missing(result.level())) : v.verifySubmitted(result);
  }

  private Verdict missing(VerificationLevel level) {
    return new Verdict.Undecided(
        "this verifier checks "
            + byLevel.keySet()
            + " results, not "
            + level
            + "; build it with that level's verifier (its directories: the NodeRegistry's enclave"
            + " keys for TEE, the ZK models for ZKML; VouchClient does)");
  }
}
