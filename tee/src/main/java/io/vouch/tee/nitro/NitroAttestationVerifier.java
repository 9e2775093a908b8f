package io.vouch.tee.nitro;

import io.vouch.tee.nitro.AttestationVerdict.Accepted;
import io.vouch.tee.nitro.AttestationVerdict.Rejected;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that a Nitro attestation document is genuine (TEE.md, steps 1–5): well formed, {@code
 * cabundle[0]} equal to a configured root byte for byte, the path {@code [leaf, cabundle[n-1] …
 * cabundle[1]]} valid under PKIX at an explicit time with revocation off, and the ES384 signature
 * valid over the bytes as received. Whether the enclave is one we want is {@code
 * AttestationPolicy}'s question.
 *
 * <p>The validation time is always explicit: "now" for a live registration, the document's own
 * timestamp when re-checking an archived document (Nitro leaf certificates live about three hours).
 * Thread-safe.
 */
public final class NitroAttestationVerifier {
  private final TrustAnchors anchors;

  public NitroAttestationVerifier(TrustAnchors anchors) {
    this.anchors = anchors;
  }

  public TrustAnchors anchors() {
    return anchors;
  }

  /** Parses and verifies; a malformed document is a {@link RejectionReason#MALFORMED} verdict. */
  public AttestationVerdict verify(byte[] cose, Instant validationTime) {
    NitroAttestationDocument document;
    try {
      document = NitroAttestationDocument.parse(cose);
    } catch (MalformedAttestationException e) {
      return new Rejected(RejectionReason.MALFORMED, e.getMessage());
    }
    return verify(document, validationTime);
  }

  /** Verifies a parsed document at its own timestamp: the check for an archived document. */
  public AttestationVerdict verifyAtDocumentTime(NitroAttestationDocument document) {
    return verify(document, document.timestamp());
  }

  public AttestationVerdict verify(NitroAttestationDocument document, Instant validationTime) {
    List<X509Certificate> bundle = document.cabundle();
    byte[] rootDer = Certificates.der(bundle.get(0));
    Optional<TrustAnchors.Kind> kind = anchors.match(rootDer);
    if (kind.isEmpty()) {
      return untrustedRoot(document, bundle.get(0));
    }
    if (kind.get() == TrustAnchors.Kind.DEVELOPMENT && !anchors.allowsDevelopmentRoot()) {
      return new Rejected(
          RejectionReason.DEVELOPMENT_ROOT_NOT_ALLOWED,
          "the document chains to the configured development root, but the development flag is"
              + " off; development documents carry no hardware guarantee");
    }
    Optional<Rejected> pathProblem =
        validatePath(document, anchors.certificate(kind.get()), validationTime);
    if (pathProblem.isPresent()) {
      return pathProblem.get();
    }
    Optional<Rejected> signatureProblem = checkSignature(document);
    if (signatureProblem.isPresent()) {
      return signatureProblem.get();
    }
    return new Accepted(document, kind.get());
  }

  private Rejected untrustedRoot(NitroAttestationDocument document, X509Certificate root) {
    boolean looksDevelopment =
        document.moduleId().startsWith("dev-sim-")
            || root.getSubjectX500Principal().getName().contains("DEV-ONLY");
    if (looksDevelopment) {
      return new Rejected(
          RejectionReason.DEVELOPMENT_ROOT_NOT_ALLOWED,
          "this is a development-simulator document (module_id '"
              + document.moduleId()
              + "', root '"
              + root.getSubjectX500Principal().getName()
              + "'); "
              + (anchors.isProduction()
                  ? "the production profile trusts only the AWS Nitro root"
                  : "its root is not the configured development root"));
    }
    return new Rejected(
        RejectionReason.UNTRUSTED_ROOT,
        "cabundle[0] ('"
            + root.getSubjectX500Principal().getName()
            + "', SHA-256 "
            + Certificates.sha256Hex(root)
            + ") is not a configured root");
  }

  private static Optional<Rejected> validatePath(
      NitroAttestationDocument document, X509Certificate root, Instant at) {
    List<X509Certificate> bundle = document.cabundle();
    List<X509Certificate> path = new ArrayList<>();
    path.add(document.certificate());
    for (int i = bundle.size() - 1; i >= 1; i--) {
      path.add(bundle.get(i));
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(certPath, params);
      return Optional.empty();
    } catch (CertPathValidatorException e) {
      String where = e.getIndex() < 0 ? "" : " at " + pathPosition(e.getIndex(), bundle.size());
      boolean timing =
          e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
              || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID;
      return Optional.of(
          new Rejected(
              timing
                  ? RejectionReason.CERTIFICATE_NOT_VALID_AT_TIME
                  : RejectionReason.CHAIN_INVALID,
              "certificate path does not validate at "
                  + at
                  + where
                  + ": "
                  + e.getMessage()
                  + (timing
                      ? " (Nitro leaf certificates live about three hours; re-check an archived"
                          + " document at its own timestamp)"
                      : "")));
    } catch (GeneralSecurityException e) {
      return Optional.of(
          new Rejected(RejectionReason.CHAIN_INVALID, "certificate path: " + e.getMessage()));
    }
  }

  /** Names path index {@code i} ([leaf, cabundle[n-1] … cabundle[1]]) in document terms. */
  private static String pathPosition(int i, int bundleSize) {
    return i == 0 ? "the leaf certificate" : "cabundle[" + (bundleSize - i) + "]";
  }

  private static Optional<Rejected> checkSignature(NitroAttestationDocument document) {
    PublicKey key = document.certificate().getPublicKey();
    if (!(key instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 384) {
      return Optional.of(
          new Rejected(
              RejectionReason.BAD_SIGNATURE,
              "the leaf certificate's key is not a P-384 EC key, so it cannot make ES384"
                  + " signatures"));
    }
    try {
      Signature verifier = Signature.getInstance(CoseSign1.SIGNATURE_ALGORITHM);
      verifier.initVerify(key);
      verifier.update(CoseSign1.toBeSigned(document.protectedHeader(), document.payload()));
      if (verifier.verify(document.signature())) {
        return Optional.empty();
      }
      return Optional.of(
          new Rejected(
              RejectionReason.BAD_SIGNATURE,
              "the ES384 signature does not verify with the leaf certificate's key over"
                  + " [\"Signature1\", protected, h'', payload]"));
    } catch (GeneralSecurityException e) {
      return Optional.of(
          new Rejected(RejectionReason.BAD_SIGNATURE, "signature check failed: " + e.getMessage()));
    }
  }
}
