package io.vouch.tee.dev;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * <b>DEVELOPMENT ONLY.</b> A locally generated P-384 certificate authority that stands in for the
 * AWS Nitro PKI so that the attestation code path runs without enclave hardware. Its root is named
 * {@code DEV-ONLY}; production trust anchors never include it, and verifiers accept it only with
 * the explicit development flag. Keys live in memory only.
 *
 * <p>Like the AWS PKI it issues a chain (root → intermediate → per-enclave leaf), so the path
 * building over {@code cabundle} is exercised for real.
 */
public final class DevRootAuthority {
  /** Every development root's subject carries this marker. */
  public static final String MARKER = "DEV-ONLY";

  static final String SIGNATURE_ALGORITHM = "SHA384withECDSA";
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);

  private final SecureRandom random;
  private final KeyPair rootKey;
  private final X509Certificate root;
  private final KeyPair intermediateKey;
  private final X509Certificate intermediate;

  private DevRootAuthority(SecureRandom random, Instant now) {
    this.random = random;
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    Instant notAfter = notBefore.plus(CA_LIFETIME);
    this.rootKey = newP384KeyPair(random);
    X500Principal rootName =
        new X500Principal("CN=Vouch " + MARKER + " enclave root, O=Vouch development simulator");
    this.root =
        issue(
            rootName, rootKey.getPublic(), rootName, rootKey.getPrivate(), notBefore, notAfter, 1);
    this.intermediateKey = newP384KeyPair(random);
    this.intermediate =
        issue(
            new X500Principal(
                "CN=Vouch " + MARKER + " enclave intermediate, O=Vouch development simulator"),
            intermediateKey.getPublic(),
            rootName,
            rootKey.getPrivate(),
            notBefore,
            notAfter,
            0);
  }

  /** Generates a fresh development root and intermediate, valid from an hour before {@code now}. */
  public static DevRootAuthority generate(Instant now) {
    return new DevRootAuthority(new SecureRandom(), now);
  }

  /** As {@link #generate(Instant)} with a caller's random source (tests pass a seeded one). */
  public static DevRootAuthority generate(Instant now, SecureRandom random) {
    return new DevRootAuthority(random, now);
  }

  /** The DEV-ONLY root certificate: the trust anchor a development verifier configures. */
  public X509Certificate rootCertificate() {
    return root;
  }

  /** The root as PEM text, for a development node's configuration file. */
  public String rootPem() {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(root.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate we issued cannot be encoded", e);
    }
  }

  /**
   * Boots a simulated enclave: PCRs from the node software and configuration bytes, a fresh P-384
   * leaf certificate valid for three hours from {@code bootTime}, as AWS's are.
   */
  public DevEnclave startEnclave(byte[] nodeSoftware, byte[] configuration, Instant bootTime) {
    return new DevEnclave(this, nodeSoftware, configuration, bootTime, random);
  }

  /** The bundle a document carries: root first, then the intermediate. */
  List<X509Certificate> cabundle() {
    return List.of(root, intermediate);
  }

  X509Certificate issueLeaf(
      String moduleId, PublicKey leafKey, Instant notBefore, Instant notAfter) {
    return issue(
        new X500Principal("CN=" + moduleId + ", O=Vouch development simulator"),
        leafKey,
        intermediate.getSubjectX500Principal(),
        intermediateKey.getPrivate(),
        notBefore,
        notAfter,
        -1);
  }

  static KeyPair newP384KeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp384r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make P-384 keys", e);
    }
  }

  /** Issues a certificate; {@code pathLength} < 0 makes an end-entity certificate. */
  private X509Certificate issue(
      X500Principal subject,
      PublicKey subjectKey,
      X500Principal issuer,
      PrivateKey issuerKey,
      Instant notBefore,
      Instant notAfter,
      int pathLength) {
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(127, random).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              subjectKey);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      if (pathLength >= 0) {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKey)));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue development certificate " + subject, e);
    }
  }
}
