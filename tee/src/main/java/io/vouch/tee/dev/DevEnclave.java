package io.vouch.tee.dev;

import io.vouch.tee.cbor.CborArray;
import io.vouch.tee.cbor.CborByteString;
import io.vouch.tee.cbor.CborEncoder;
import io.vouch.tee.cbor.CborInteger;
import io.vouch.tee.cbor.CborItem;
import io.vouch.tee.cbor.CborMap;
import io.vouch.tee.cbor.CborSimple;
import io.vouch.tee.cbor.CborTextString;
import io.vouch.tee.nitro.CoseSign1;
import io.vouch.tee.nitro.NitroAttestationDocument;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;

/**
 * <b>DEVELOPMENT ONLY — no hardware, no isolation, no guarantee.</b> A simulated Nitro enclave that
 * emits attestation documents in byte-for-byte the AWS layout (untagged COSE_Sign1, protected
 * header {@code {1: -35}}, empty unprotected header, payload map in AWS field order with null for
 * an absent optional field, 16 PCRs of 48 bytes, ES384 signature), signed by a leaf certificate
 * under a {@link DevRootAuthority}. Only the trust anchor tells these documents apart from real
 * ones, which is the point: the verifier and the policy run their real code on them.
 *
 * <p>Measurements, so that allow-lists work for real:
 *
 * <ul>
 *   <li>PCR2 = SHA-384(node software bytes) — the application, as on Nitro;
 *   <li>PCR1 = SHA-384(configuration bytes);
 *   <li>PCR0 = SHA-384(PCR2 ‖ PCR1) — the whole image;
 *   <li>PCR3–15 = zero.
 * </ul>
 *
 * {@code module_id} is {@code dev-sim-} followed by 16 random hex digits.
 */
public final class DevEnclave {
  public static final String MODULE_ID_PREFIX = "dev-sim-";

  /** Nitro leaf certificates live about three hours; so do these. */
  public static final Duration LEAF_LIFETIME = Duration.ofHours(3);

  private static final int PCR_COUNT = 16;
  private static final byte[] ES384_PROTECTED_HEADER =
      CborEncoder.encode(
          CborMap.builder().put(1, CborInteger.of(NitroAttestationDocument.ES384)).build());

  private final DevRootAuthority authority;
  private final String moduleId;
  private final byte[][] pcrs = new byte[PCR_COUNT][];
  private final KeyPair leafKey;
  private final X509Certificate leaf;

  DevEnclave(
      DevRootAuthority authority,
      byte[] nodeSoftware,
      byte[] configuration,
      Instant bootTime,
      SecureRandom random) {
    this.authority = authority;
    byte[] id = new byte[8];
    random.nextBytes(id);
    this.moduleId = MODULE_ID_PREFIX + HexFormat.of().formatHex(id);
    byte[] software = sha384(nodeSoftware);
    byte[] config = sha384(configuration);
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    image.writeBytes(software);
    image.writeBytes(config);
    pcrs[0] = sha384(image.toByteArray());
    pcrs[1] = config;
    pcrs[2] = software;
    for (int i = 3; i < PCR_COUNT; i++) {
      pcrs[i] = new byte[48];
    }
    this.leafKey = DevRootAuthority.newP384KeyPair(random);
    Instant notBefore = bootTime.truncatedTo(ChronoUnit.SECONDS);
    this.leaf =
        authority.issueLeaf(
            moduleId, leafKey.getPublic(), notBefore, notBefore.plus(LEAF_LIFETIME));
  }

  public String moduleId() {
    return moduleId;
  }

  /** PCR {@code index} (0–15) as this enclave reports it. */
  public byte[] pcr(int index) {
    return pcrs[index].clone();
  }

  public X509Certificate leafCertificate() {
    return leaf;
  }

  /**
   * Emits a signed attestation document, as the NSM's {@code Attestation} request does.
   *
   * @param publicKey the enclave's signing key to bind (at most 1024 bytes), or empty
   * @param userData e.g. SHA-256 of the enclave manifest (at most 512 bytes), or empty
   * @param nonce the verifier's challenge (at most 512 bytes), or empty
   * @param timestamp the document time; must lie inside the leaf certificate's validity
   */
  public byte[] attest(
      Optional<byte[]> publicKey,
      Optional<byte[]> userData,
      Optional<byte[]> nonce,
      Instant timestamp) {
    if (timestamp.isBefore(leaf.getNotBefore().toInstant())
        || timestamp.isAfter(leaf.getNotAfter().toInstant())) {
      throw new IllegalStateException(
          "the simulated enclave's leaf certificate is valid "
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + ", not at "
              + timestamp
              + "; start a new enclave");
    }
    checkSize("public_key", publicKey, NitroAttestationDocument.MAX_PUBLIC_KEY);
    checkSize("user_data", userData, NitroAttestationDocument.MAX_USER_DATA);
    checkSize("nonce", nonce, NitroAttestationDocument.MAX_NONCE);

    CborMap.Builder pcrMap = CborMap.builder();
    for (int i = 0; i < PCR_COUNT; i++) {
      pcrMap.put(i, CborByteString.of(pcrs[i]));
    }
    byte[] payload =
        CborEncoder.encode(
            CborMap.builder()
                .put("module_id", CborTextString.of(moduleId))
                .put("digest", CborTextString.of("SHA384"))
                .put("timestamp", CborInteger.of(timestamp.toEpochMilli()))
                .put("pcrs", pcrMap.build())
                .put("certificate", CborByteString.of(der(leaf)))
                .put(
                    "cabundle",
                    CborArray.of(
                        authority.cabundle().stream().map(c -> CborByteString.of(der(c))).toList()))
                .put("public_key", bytesOrNull(publicKey))
                .put("user_data", bytesOrNull(userData))
                .put("nonce", bytesOrNull(nonce))
                .build());
    byte[] signature = sign(CoseSign1.toBeSigned(ES384_PROTECTED_HEADER, payload));
    return CborEncoder.encode(
        CborArray.of(
            CborByteString.of(ES384_PROTECTED_HEADER),
            CborMap.builder().build(),
            CborByteString.of(payload),
            CborByteString.of(signature)));
  }

  private byte[] sign(byte[] toBeSigned) {
    try {
      Signature signer = Signature.getInstance(CoseSign1.SIGNATURE_ALGORITHM);
      signer.initSign(leafKey.getPrivate());
      signer.update(toBeSigned);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an ES384 signature", e);
    }
  }

  private static CborItem bytesOrNull(Optional<byte[]> value) {
    return value.<CborItem>map(CborByteString::of).orElse(CborSimple.NULL);
  }

  private static void checkSize(String field, Optional<byte[]> value, int max) {
    if (value.isPresent() && value.get().length > max) {
      throw new IllegalArgumentException(
          field + " may be at most " + max + " bytes, got " + value.get().length);
    }
  }

  private static byte[] der(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate we issued cannot be encoded", e);
    }
  }

  static byte[] sha384(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-384", e);
    }
  }
}
