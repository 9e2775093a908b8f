package io.vouch.tee.nitro;

import io.vouch.tee.cbor.CborArray;
import io.vouch.tee.cbor.CborByteString;
import io.vouch.tee.cbor.CborDecoder;
import io.vouch.tee.cbor.CborException;
import io.vouch.tee.cbor.CborInteger;
import io.vouch.tee.cbor.CborItem;
import io.vouch.tee.cbor.CborMap;
import io.vouch.tee.cbor.CborSimple;
import io.vouch.tee.cbor.CborTag;
import io.vouch.tee.cbor.CborTextString;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A parsed AWS Nitro Enclaves attestation document: a COSE_Sign1 structure (RFC 9052) whose payload
 * is the CBOR attestation map. Parsing checks the format rules only (TEE.md, steps 1–2); whether
 * the document is trustworthy is {@link NitroAttestationVerifier}'s job.
 *
 * <p>The protected header, payload and signature are kept exactly as received, so the signature is
 * checked over those bytes and never over a re-encoding.
 *
 * <p>Genuine documents encode an absent {@code public_key}, {@code user_data} or {@code nonce} as
 * CBOR null (that is how the AWS NSM serializes an empty option); such a null means "absent". A
 * null in any required field is refused.
 */
public final class NitroAttestationDocument {
  /** COSE_Sign1 tag (RFC 9052). */
  public static final long COSE_SIGN1_TAG = 18;

  /** COSE algorithm id of ES384 (ECDSA with SHA-384 on P-384). */
  public static final int ES384 = -35;

  public static final int MAX_PUBLIC_KEY = 1024;
  public static final int MAX_USER_DATA = 512;
  public static final int MAX_NONCE = 512;

  private final byte[] encoded;
  private final byte[] protectedHeader;
  private final byte[] payload;
  private final byte[] signature;
  private final String moduleId;
  private final String digest;
  private final long timestampMillis;
  private final SortedMap<Integer, byte[]> pcrs;
  private final X509Certificate certificate;
  private final List<X509Certificate> cabundle;
  private final byte[] publicKey;
  private final byte[] userData;
  private final byte[] nonce;
  private final boolean indefiniteLengthPayload;

  private NitroAttestationDocument(
      byte[] encoded,
      byte[] protectedHeader,
      byte[] payload,
      byte[] signature,
      CborMap map,
      List<X509Certificate> cabundle,
      X509Certificate certificate,
      SortedMap<Integer, byte[]> pcrs) {
    this.encoded = encoded;
    this.protectedHeader = protectedHeader;
    this.payload = payload;
    this.signature = signature;
    this.moduleId = text(map, "module_id");
    this.digest = text(map, "digest");
    this.timestampMillis = timestamp(map);
    this.pcrs = pcrs;
    this.certificate = certificate;
    this.cabundle = cabundle;
    this.publicKey = optionalBytes(map, "public_key", MAX_PUBLIC_KEY);
    this.userData = optionalBytes(map, "user_data", MAX_USER_DATA);
    this.nonce = optionalBytes(map, "nonce", MAX_NONCE);
    this.indefiniteLengthPayload = map.indefiniteLength();
  }

  /**
   * Parses a COSE_Sign1 Nitro attestation document (tagged 18 or untagged).
   *
   * @throws MalformedAttestationException naming the field and the rule it broke
   */
  public static NitroAttestationDocument parse(byte[] cose) {
    byte[] encoded = cose.clone();
    CborItem top = decode("cose", encoded);
    if (top instanceof CborTag tag) {
      if (tag.tag() != COSE_SIGN1_TAG) {
        throw new MalformedAttestationException(
            "cose", "tagged " + tag.tag() + "; a COSE_Sign1 is tagged 18 or untagged");
      }
      top = tag.content();
    }
    if (!(top instanceof CborArray array) || array.size() != 4) {
      throw new MalformedAttestationException(
          "cose",
          "must be a COSE_Sign1 array of 4 [protected, unprotected, payload, signature], got "
              + describe(top));
    }
    byte[] protectedHeader = bytes("protected", array.get(0));
    checkProtectedHeader(protectedHeader);
    if (!(array.get(1) instanceof CborMap)) {
      throw new MalformedAttestationException(
          "unprotected", "must be a map, got " + describe(array.get(1)));
    }
    byte[] payload = bytes("payload", array.get(2));
    byte[] signature = bytes("signature", array.get(3));
    if (signature.length != 96) {
      throw new MalformedAttestationException(
          "signature", "must be 96 bytes (ES384 r||s), got " + signature.length);
    }
    if (!(decode("payload", payload) instanceof CborMap map)) {
      throw new MalformedAttestationException("payload", "must be a CBOR map");
    }
    SortedMap<Integer, byte[]> pcrs = pcrs(map);
    X509Certificate certificate = certificate("certificate", required(map, "certificate"));
    List<X509Certificate> cabundle = cabundle(map);
    return new NitroAttestationDocument(
        encoded, protectedHeader, payload, signature, map, cabundle, certificate, pcrs);
  }

  // ---- accessors ----

  /** The whole document as received. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The COSE protected header bytes as received (the content of the byte string). */
  public byte[] protectedHeader() {
    return protectedHeader.clone();
  }

  /** The COSE payload bytes as received: the CBOR attestation map. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The ES384 signature, r‖s, 96 bytes. */
  public byte[] signature() {
    return signature.clone();
  }

  public String moduleId() {
    return moduleId;
  }

  public String digest() {
    return digest;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /** Platform configuration registers by index, ascending. */
  public SortedMap<Integer, byte[]> pcrs() {
    SortedMap<Integer, byte[]> copy = new TreeMap<>();
    pcrs.forEach((k, v) -> copy.put(k, v.clone()));
    return Collections.unmodifiableSortedMap(copy);
  }

  /** One PCR, if the document has it. */
  public Optional<byte[]> pcr(int index) {
    return Optional.ofNullable(pcrs.get(index)).map(byte[]::clone);
  }

  /** The leaf certificate whose key signed the document. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA bundle, root first, as listed in the document. */
  public List<X509Certificate> cabundle() {
    return cabundle;
  }

  public Optional<byte[]> publicKey() {
    return Optional.ofNullable(publicKey).map(byte[]::clone);
  }

  public Optional<byte[]> userData() {
    return Optional.ofNullable(userData).map(byte[]::clone);
  }

  public Optional<byte[]> nonce() {
    return Optional.ofNullable(nonce).map(byte[]::clone);
  }

  /** Whether the payload map was encoded with indefinite length (some producers do). */
  public boolean indefiniteLengthPayload() {
    return indefiniteLengthPayload;
  }

  /** SHA-256 of the whole document as received: the hash a registry stores. */
  public byte[] documentHash() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(encoded);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A debug-mode enclave reports PCR0, PCR1 and PCR2 as all zeros. */
  public boolean isDebugMode() {
    for (int i = 0; i <= 2; i++) {
      byte[] pcr = pcrs.get(i);
      if (pcr == null || !isZero(pcr)) {
        return false;
      }
    }
    return true;
  }

  static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "NitroAttestationDocument[module_id=" + moduleId + ", timestamp=" + timestamp() + "]";
  }

  // ---- parsing rules ----

  private static CborItem decode(String field, byte[] bytes) {
    try {
      return CborDecoder.decode(bytes);
    } catch (CborException e) {
      throw new MalformedAttestationException(field, "not well-formed CBOR: " + e.getMessage(), e);
    }
  }

  private static void checkProtectedHeader(byte[] protectedHeader) {
    CborItem header = decode("protected", protectedHeader);
    if (!(header instanceof CborMap map)
        || map.size() != 1
        || !(map.get(1).orElse(null) instanceof CborInteger alg)
        || !alg.value().equals(BigInteger.valueOf(ES384))) {
      throw new MalformedAttestationException(
          "protected", "must decode to {1: -35} (alg ES384), got " + describe(header));
    }
  }

  private static CborItem required(CborMap map, String field) {
    CborItem item =
        map.get(field)
            .orElseThrow(() -> new MalformedAttestationException(field, "is required but absent"));
    if (item instanceof CborSimple s && s.isNull()) {
      throw new MalformedAttestationException(field, "is required but null");
    }
    return item;
  }

  private static String text(CborMap map, String field) {
    if (!(required(map, field) instanceof CborTextString t)) {
      throw new MalformedAttestationException(
          field, "must be a text string, got " + describe(map.get(field).orElseThrow()));
    }
    if (t.value().isEmpty()) {
      throw new MalformedAttestationException(field, "must not be empty");
    }
    if (field.equals("digest") && !t.value().equals("SHA384")) {
      throw new MalformedAttestationException(
          field, "must be \"SHA384\", got \"" + t.value() + "\"");
    }
    return t.value();
  }

  private static long timestamp(CborMap map) {
    if (!(required(map, "timestamp") instanceof CborInteger i)
        || i.value().signum() <= 0
        || i.value().bitLength() > 63) {
      throw new MalformedAttestationException(
          "timestamp", "must be an unsigned integer of milliseconds > 0 that fits 63 bits");
    }
    return i.value().longValueExact();
  }

  private static SortedMap<Integer, byte[]> pcrs(CborMap map) {
    if (!(required(map, "pcrs") instanceof CborMap pcrMap)) {
      throw new MalformedAttestationException("pcrs", "must be a map of index to bytes");
    }
    if (pcrMap.size() < 1 || pcrMap.size() > 32) {
      throw new MalformedAttestationException(
          "pcrs", "must have 1 to 32 entries, got " + pcrMap.size());
    }
    SortedMap<Integer, byte[]> pcrs = new TreeMap<>();
    for (CborMap.Entry e : pcrMap.entries()) {
      if (!(e.key() instanceof CborInteger k)
          || k.value().signum() < 0
          || k.value().compareTo(BigInteger.valueOf(31)) > 0) {
        throw new MalformedAttestationException(
            "pcrs", "keys must be integers 0 to 31, got " + describe(e.key()));
      }
      int index = k.value().intValue();
      if (!(e.value() instanceof CborByteString v)
          || (v.length() != 32 && v.length() != 48 && v.length() != 64)) {
        throw new MalformedAttestationException(
            "pcrs", "PCR" + index + " must be 32, 48 or 64 bytes, got " + describe(e.value()));
      }
      pcrs.put(index, v.value());
    }
    return Collections.unmodifiableSortedMap(pcrs);
  }

  private static List<X509Certificate> cabundle(CborMap map) {
    if (!(required(map, "cabundle") instanceof CborArray array)) {
      throw new MalformedAttestationException("cabundle", "must be an array of DER certificates");
    }
    if (array.size() == 0) {
      throw new MalformedAttestationException(
          "cabundle", "must list at least the root certificate (root first)");
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      certs.add(certificate("cabundle[" + i + "]", array.get(i)));
    }
    return List.copyOf(certs);
  }

  private static X509Certificate certificate(String field, CborItem item) {
    byte[] der = bytes(field, item);
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      // The factory also reads PEM and tolerates trailing bytes: insist on exactly one DER.
      if (!Arrays.equals(cert.getEncoded(), der)) {
        throw new CertificateException("bytes are not exactly one DER certificate");
      }
    } catch (CertificateException | RuntimeException e) {
      throw new MalformedAttestationException(
          field, "must be one DER-encoded X.509 certificate: " + e.getMessage(), e);
    }
    return cert;
  }

  private static byte[] bytes(String field, CborItem item) {
    if (!(item instanceof CborByteString b)) {
      throw new MalformedAttestationException(
          field, "must be a byte string, got " + describe(item));
    }
    return b.value();
  }

  private static byte[] optionalBytes(CborMap map, String field, int max) {
    Optional<CborItem> item = map.get(field);
    if (item.isEmpty() || (item.get() instanceof CborSimple s && s.isNull())) {
      return null;
    }
    byte[] value = bytes(field, item.get());
    if (value.length > max) {
      throw new MalformedAttestationException(
          field, "must be at most " + max + " bytes, got " + value.length);
    }
    return value;
  }

  private static String describe(CborItem item) {
    return switch (item) {
      case CborByteString b -> "a byte string of " + b.length() + " bytes";
      case CborArray a -> "an array of " + a.size();
      case CborMap m -> "a map of " + m.size();
      case CborInteger i -> "the integer " + i.value();
      case CborTextString t -> "the text \"" + t.value() + "\"";
      default -> item.kind();
    };
  }
}
