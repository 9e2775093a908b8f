package io.vouch.zk;

/**
 * A proof did not verify or could not be parsed. The message names the check that failed (for
 * example "sum-check round 3: s(0) + s(1) does not match the claim"); a verifier should treat every
 * instance the same way: reject the result.
 */
public class InvalidProofException extends RuntimeException {
  public InvalidProofException(String message) {
    super(message);
  }

  public InvalidProofException(String message, Throwable cause) {
    super(message, cause);
  }
}
