package io.vouch.tee.dev;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private DevRootAuthority(
      SecureRandom random,
      KeyPair rootKey,
      X509Certificate root,
      KeyPair intermediateKey,
      X509Certificate intermediate) {
    this.random = random;
    this.rootKey = rootKey;
    this.root = root;
    this.intermediateKey = intermediateKey;
    this.intermediate = intermediate;
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

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  /**
   * <b>DEVELOPMENT ONLY — writes private keys in the clear.</b> Saves the root and intermediate
   * (certificates and PKCS#8 keys, PEM) so that several processes of one devnet can issue enclave
   * leaves under the same root ({@link #readFrom}). Any holder of the file can mint "attestations"
   * this root vouches for: it exists because a development root is trusted by flag only.
   */
  public void writeTo(Path file) {
    StringBuilder pem = new StringBuilder();
    try {
      pem.append(block("CERTIFICATE", root.getEncoded()));
      pem.append(block("CERTIFICATE", intermediate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate we issued cannot be encoded", e);
    }
    pem.append(block("PRIVATE KEY", rootKey.getPrivate().getEncoded()));
    pem.append(block("PRIVATE KEY", intermediateKey.getPrivate().getEncoded()));
    try {
      Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the development root to " + file, e);
    }
  }

  /**
   * Loads what {@link #writeTo} saved: root certificate, intermediate certificate, root key,
   * intermediate key, in that order.
   */
  public static DevRootAuthority readFrom(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the development root file " + file, e);
    }
    List<byte[]> certificates = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (m.group(1)) {
        case "CERTIFICATE" -> certificates.add(der);
        case "PRIVATE KEY" -> keys.add(der);
        default -> {}
      }
    }
    if (certificates.size() != 2 || keys.size() != 2) {
      throw new IllegalArgumentException(
          file
              + " is not a development root written by DevRootAuthority.writeTo: expected 2"
              + " certificates and 2 private keys, found "
              + certificates.size()
              + " and "
              + keys.size());
    }
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      KeyFactory ec = KeyFactory.getInstance("EC");
      X509Certificate root =
          (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(certificates.get(0)));
      X509Certificate intermediate =
          (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(certificates.get(1)));
      if (!root.getSubjectX500Principal().getName().contains(MARKER)) {
        throw new IllegalArgumentException(
            file + " holds a root without the " + MARKER + " marker; refusing to use it");
      }
      KeyPair rootKey =
          new KeyPair(
              root.getPublicKey(), ec.generatePrivate(new PKCS8EncodedKeySpec(keys.get(0))));
      KeyPair intermediateKey =
          new KeyPair(
              intermediate.getPublicKey(),
              ec.generatePrivate(new PKCS8EncodedKeySpec(keys.get(1))));
      return new DevRootAuthority(new SecureRandom(), rootKey, root, intermediateKey, intermediate);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot load the development root from " + file + ": " + e.getMessage(), e);
    }
  }

  private static String block(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
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
