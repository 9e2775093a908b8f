package io.vouch.evidence;

import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.tee.EnclaveSigner;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** A node's producers, at most one per level: the one a request's level asks for. */
public final class EvidenceProducers {
  private final Map<VerificationLevel, EvidenceProducer> byLevel;

  private EvidenceProducers(Map<VerificationLevel, EvidenceProducer> byLevel) {
    this.byLevel = byLevel;
  }

  /**
   * @throws IllegalArgumentException when two producers are for the same level
   */
  public static EvidenceProducers of(EvidenceProducer... producers) {
    Map<VerificationLevel, EvidenceProducer> byLevel = new EnumMap<>(VerificationLevel.class);
    for (EvidenceProducer p : producers) {
      if (byLevel.putIfAbsent(p.level(), p) != null) {
        throw new IllegalArgumentException("two producers for level " + p.level());
      }
    }
    return new EvidenceProducers(byLevel);
  }

  /**
   * A producer for every level, as a node has them: signing with {@code receipts}, and with the
   * enclave {@code enclave} supplies once the node has one. A new level's producer is added here.
   */
  public static EvidenceProducers all(
      NodeReceipts receipts, Supplier<Optional<EnclaveSigner>> enclave) {
    return of(
        new VanillaProducer(receipts),
        new TeeProducer(receipts, enclave),
        new ZkmlProducer(receipts));
  }

  /** The levels these producers cover (each may still be unavailable for a given model). */
  public Set<VerificationLevel> levels() {
    return Set.copyOf(byLevel.keySet());
  }

  /**
   * The producer of {@code level}.
   *
   * @throws VouchException UNSUPPORTED_LEVEL when there is none
   */
  public EvidenceProducer forLevel(VerificationLevel level) {
    EvidenceProducer p = byLevel.get(level);
    if (p == null) {
      throw new VouchException(
          ErrorCode.UNSUPPORTED_LEVEL,
          "this node produces evidence at " + byLevel.keySet() + ", not " + level);
    }
    return p;
  }
}
