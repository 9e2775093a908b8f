package io.vouch.tee.nitro;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Reading trust-anchor certificates from configuration (PEM or DER) and fingerprinting them. */
final class Certificates {
  private Certificates() {}

  static X509Certificate read(byte[] pemOrDer, String what) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pemOrDer));
    } catch (CertificateException | ClassCastException e) {
      throw new TrustAnchorException(
          what + " is not a PEM or DER X.509 certificate: " + e.getMessage(), e);
    }
  }

  static X509Certificate read(Path path, String what) {
    try {
      return read(Files.readAllBytes(path), what + " (" + path + ")");
    } catch (IOException e) {
      throw new TrustAnchorException("cannot read " + what + " from " + path + ": " + e, e);
    }
  }

  static byte[] der(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new TrustAnchorException("certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  /** Upper-case hex SHA-256 of the certificate's DER, the form in which pins are written. */
  static String sha256Hex(X509Certificate cert) {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(der(cert)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
