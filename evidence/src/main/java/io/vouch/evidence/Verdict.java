package io.vouch.evidence;

/**
 * What an {@link EvidenceVerifier} concluded about one result. Only {@link Invalid} speaks against
 * the node; {@link Undecided} says the verifier lacked what it needs (a validator must not vote
 * against a node for it).
 */
public sealed interface Verdict {
  /** The evidence holds; {@code what} says which checks ran. */
  record Valid(String what) implements Verdict {}

  /** The evidence does not hold; {@code reason} says what was wrong. */
  record Invalid(String reason) implements Verdict {}

  /**
   * The verifier could not decide: it lacks a trust anchor or another part of its configuration;
   * {@code reason} says what to configure.
   */
  record Undecided(String reason) implements Verdict {}

  default boolean isValid() {
    return this instanceof Valid;
  }
}
