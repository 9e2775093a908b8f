package io.vouch.tee.nitro;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * The roots a verifier trusts, from explicit configuration only. The production profile pins the
 * AWS Nitro root and nothing else. A development root (see {@code io.vouch.tee.dev}) is trusted
 * only when it is configured <em>and</em> the explicit development flag is set; configured without
 * the flag, documents under it are refused as {@link RejectionReason#DEVELOPMENT_ROOT_NOT_ALLOWED}.
 */
public final class TrustAnchors {

  /** Which root a document chains to. */
  public enum Kind {
    /** The pinned AWS Nitro Enclaves root: a real enclave. */
    AWS_NITRO,
    /** A locally generated DEV-ONLY root: the development simulator, no hardware guarantee. */
    DEVELOPMENT
  }

  private final AwsNitroRoot awsRoot;
  private final X509Certificate developmentRoot;
  private final boolean allowDevelopmentRoot;

  private TrustAnchors(
      AwsNitroRoot awsRoot, X509Certificate developmentRoot, boolean allowDevelopmentRoot) {
    this.awsRoot = awsRoot;
    this.developmentRoot = developmentRoot;
    this.allowDevelopmentRoot = allowDevelopmentRoot;
  }

  /** The production profile: only the pinned AWS root. */
  public static TrustAnchors production(AwsNitroRoot awsRoot) {
    return new TrustAnchors(awsRoot, null, false);
  }

  /** The production profile with the AWS root read from a PEM file. */
  public static TrustAnchors production(Path awsRootPem) {
    return production(AwsNitroRoot.load(awsRootPem));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<AwsNitroRoot> awsRoot() {
    return Optional.ofNullable(awsRoot);
  }

  public Optional<X509Certificate> developmentRoot() {
    return Optional.ofNullable(developmentRoot);
  }

  public boolean allowsDevelopmentRoot() {
    return allowDevelopmentRoot && developmentRoot != null;
  }

  /** True when only the AWS root is trusted. */
  public boolean isProduction() {
    return !allowsDevelopmentRoot();
  }

  /** The anchor kind whose certificate equals {@code der} byte for byte, if any. */
  Optional<Kind> match(byte[] der) {
    if (awsRoot != null && Arrays.equals(der, Certificates.der(awsRoot.certificate()))) {
      return Optional.of(Kind.AWS_NITRO);
    }
    if (developmentRoot != null && Arrays.equals(der, Certificates.der(developmentRoot))) {
      return Optional.of(Kind.DEVELOPMENT);
    }
    return Optional.empty();
  }

  X509Certificate certificate(Kind kind) {
    return kind == Kind.AWS_NITRO ? awsRoot.certificate() : developmentRoot;
  }

  /** Builds a profile from configuration values. */
  public static final class Builder {
    private AwsNitroRoot awsRoot;
    private X509Certificate developmentRoot;
    private boolean allowDevelopmentRoot;

    private Builder() {}

    public Builder awsRoot(AwsNitroRoot root) {
      this.awsRoot = root;
      return this;
    }

    /** A DEV-ONLY root; trusted only together with {@link #allowDevelopmentRoot(boolean)}. */
    public Builder developmentRoot(X509Certificate root) {
      this.developmentRoot = root;
      return this;
    }

    public Builder developmentRoot(Path pem) {
      return developmentRoot(Certificates.read(pem, "development root"));
    }

    /** The explicit development flag. Never set it in a production configuration. */
    public Builder allowDevelopmentRoot(boolean allow) {
      this.allowDevelopmentRoot = allow;
      return this;
    }

    public TrustAnchors build() {
      if (awsRoot == null && developmentRoot == null) {
        throw new TrustAnchorException(
            "no trust anchor configured: give the AWS Nitro root PEM (production)"
                + " or a development root with the development flag");
      }
      if (allowDevelopmentRoot && developmentRoot == null) {
        throw new TrustAnchorException(
            "the development flag is set but no development root is configured");
      }
      return new TrustAnchors(awsRoot, developmentRoot, allowDevelopmentRoot);
    }
  }
}
