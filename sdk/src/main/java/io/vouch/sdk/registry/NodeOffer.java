package io.vouch.sdk.registry;

import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;

/**
 * What one node offers for one model, from the NodeRegistry: the levels it is eligible at for the
 * model (registered, bonded, enough stake, serves the model), its price per request now, an
 * announced price increase, and its stake.
 *
 * @param nextPrice a higher price the node announced and that is not due yet ({@code
 *     NodeRegistry.priceSchedule}): it applies from {@link PriceChange#effectiveAt()} (chain time)
 */
public record NodeOffer(
    Address node,
    String endpoint,
    Set<VerificationLevel> levels,
    BigInteger priceWei,
    Optional<PriceChange> nextPrice,
    BigInteger stakeWei) {

  public NodeOffer {
    levels = Set.copyOf(levels);
  }

  /** An announced price increase: {@code priceWei} from chain time {@code effectiveAt}. */
  public record PriceChange(BigInteger priceWei, long effectiveAt) {}
}
