package io.vouch.core;

/**
 * The trust level a result is delivered at. The numeric code is the one used on chain ({@code uint8
 * level}) and in signed receipts; the allowed-levels bit mask of a model uses {@code 1 << code}.
 */
public enum VerificationLevel {
  /** Signed by a staked node key; audited by random re-execution. */
  VANILLA(0, false, false),
  /** Signed by an attested enclave key. */
  TEE(1, true, false),
  /** Carries a succinct proof of the integer model's inference. */
  ZKML(2, false, true);

  private final int code;
  private final boolean enclave;
  private final boolean proof;

  VerificationLevel(int code, boolean enclave, boolean proof) {
    this.code = code;
    this.enclave = enclave;
    this.proof = proof;
  }

  /**
   * Whether results at this level are produced inside an attested enclave and signed by its key: a
   * node serves a model at this level only from its enclave, and lists it in the enclave's
   * manifest.
   */
  public boolean runsInEnclave() {
    return enclave;
  }

  /**
   * Whether results at this level carry a proof of the integer model's inference: a model allowed
   * at this level is published and served with its ZK model ({@code .zkmodel}, whose id the model
   * registry records), and a result comes with a proof object that the binary form of {@code POST
   * /v1/infer} has no field for.
   */
  public boolean carriesProof() {
    return proof;
  }

  /**
   * Whether results at this level rest on the node's stake alone (neither an enclave's signature
   * nor a proof): drawn for audit by re-execution at the model's audit rate and compared under its
   * tolerance rule, and challengeable during the model's window, which a model's audit terms
   * govern.
   */
  public boolean isAudited() {
    return !enclave && !proof;
  }

  public int code() {
    return code;
  }

  public int bit() {
    return 1 << code;
  }

  /** Whether this level gives at least the guarantee of {@code other} (VANILLA < TEE < ZKML). */
  public boolean atLeast(VerificationLevel other) {
    return code >= other.code;
  }

  public static VerificationLevel fromCode(int code) {
    for (VerificationLevel l : values()) {
      if (l.code == code) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "unknown verification level code " + code + "; known: 0, 1, 2");
  }

  /** Parses a name case-insensitively ({@code vanilla}, {@code tee}, {@code zkml}). */
  public static VerificationLevel parse(String name) {
    for (VerificationLevel l : values()) {
      if (l.name().equalsIgnoreCase(name.trim())) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "unknown verification level '" + name + "'; use one of vanilla, tee, zkml");
  }

  public static int mask(Iterable<VerificationLevel> levels) {
    int m = 0;
    for (VerificationLevel l : levels) {
      m |= l.bit();
    }
    return m;
  }
}
