package io.vouch.core.eip712;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import java.math.BigInteger;

/**
 * A committee member's verdict on one submitted result, which anyone may relay to the
 * VerificationCourt ({@code submitVerdict}).
 *
 * <pre>
 * Verdict(uint256 caseId,uint256 requestId,bytes32 outputHash,bytes32 evidenceHash,bool valid,uint8 round)
 * </pre>
 *
 * Signed in the <em>court's</em> domain ({@link Eip712Domain#of(long, io.vouch.core.Address)} with
 * the court's address): a verdict does not verify on another chain or court. The case ({@code
 * caseId = requestId << 8 | attempt}), the submission ({@code outputHash}, {@code evidenceHash})
 * and the committee's {@code round} are bound, so a verdict cannot be moved to another result or
 * replayed in a later round.
 */
public record Verdict(
    BigInteger caseId,
    BigInteger requestId,
    Bytes32 outputHash,
    Bytes32 evidenceHash,
    boolean valid,
    int round)
    implements Eip712Struct {
  public static final String TYPE =
      "Verdict(uint256 caseId,uint256 requestId,bytes32 outputHash,bytes32 evidenceHash,bool"
          + " valid,uint8 round)";
  public static final Bytes32 TYPE_HASH = Keccak.hash(TYPE);

  public Verdict {
    if (round < 0 || round > 255) {
      throw new IllegalArgumentException("a round is a uint8, got " + round);
    }
    if (caseId.signum() < 0 || requestId.signum() < 0) {
      throw new IllegalArgumentException("case and request ids are unsigned");
    }
  }

  /** The case of the {@code attempt}-th assignment of hub request {@code requestId}. */
  public static BigInteger caseIdOf(BigInteger requestId, int attempt) {
    return requestId.shiftLeft(8).or(BigInteger.valueOf(attempt & 0xff));
  }

  @Override
  public Bytes32 structHash() {
    return new Words(TYPE_HASH)
        .add(caseId)
        .add(requestId)
        .add(outputHash)
        .add(evidenceHash)
        .add(valid ? 1 : 0)
        .add(round)
        .hash();
  }
}
