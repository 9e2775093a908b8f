package io.vouch.tee.nitro;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * The AWS Nitro Enclaves root certificate, loaded from configuration and checked against its
 * SHA-256 pin. The certificate itself is not shipped with Vouch: production configuration points at
 * a PEM file (AWS publishes it), and loading refuses anything whose DER does not hash to {@link
 * #SHA256_PIN}.
 */
public final class AwsNitroRoot {
  /** SHA-256 of the DER of the AWS Nitro Enclaves root G1 (upper-case hex). */
  public static final String SHA256_PIN =
      "641A0321A3E244EFE456463195D606317ED7CDCC3C1756E09893F3C68F79BB5B";

  private final X509Certificate certificate;

  private AwsNitroRoot(X509Certificate certificate) {
    this.certificate = certificate;
  }

  /** Loads the root from a PEM (or DER) file. */
  public static AwsNitroRoot load(Path pemFile) {
    return pinned(Certificates.read(pemFile, "AWS Nitro root"));
  }

  /** Loads the root from PEM text or DER bytes. */
  public static AwsNitroRoot fromBytes(byte[] pemOrDer) {
    return pinned(Certificates.read(pemOrDer, "AWS Nitro root"));
  }

  private static AwsNitroRoot pinned(X509Certificate cert) {
    String actual = Certificates.sha256Hex(cert);
    if (!actual.equals(SHA256_PIN)) {
      throw new TrustAnchorException(
          "the configured AWS Nitro root has SHA-256 "
              + actual
              + " but the pinned root has "
              + SHA256_PIN
              + "; point the configuration at the AWS Nitro Enclaves root G1 PEM"
              + " (https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip)");
    }
    return new AwsNitroRoot(cert);
  }

  public X509Certificate certificate() {
    return certificate;
  }
}
