package io.vouch.tee.policy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.tee.cbor.CborArray;
import io.vouch.tee.cbor.CborByteString;
import io.vouch.tee.cbor.CborDecoder;
import io.vouch.tee.cbor.CborEncoder;
import io.vouch.tee.cbor.CborException;
import io.vouch.tee.cbor.CborInteger;
import io.vouch.tee.cbor.CborItem;
import io.vouch.tee.cbor.CborTextString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What an enclave declares about itself at boot; its attestation's {@code user_data} is the SHA-256
 * of {@link #canonicalBytes()}.
 *
 * <p>Canonical encoding (version 1): deterministic CBOR (shortest heads, definite lengths) of the
 * array
 *
 * <pre>
 * [ "vouch-enclave-manifest/1",   text: domain separator and layout version
 *   nodeSoftwareMeasurement,      bytes(48): SHA-384 of the node software
 *   [ modelId, ... ],             array of bytes(32), ascending (unsigned), distinct
 *   chainId,                      unsigned integer
 *   registry,                     bytes(20): the NodeRegistry contract address
 *   operator ]                    bytes(20): the operator's account address
 * </pre>
 *
 * Model ids are sorted so that the same set of models always gives the same bytes; a future layout
 * changes the leading text.
 */
public record EnclaveManifest(
    byte[] nodeSoftwareMeasurement,
    List<Bytes32> modelIds,
    long chainId,
    Address registry,
    Address operator) {

  public static final String DOMAIN = "vouch-enclave-manifest/1";
  public static final int MEASUREMENT_LENGTH = 48;

  public EnclaveManifest {
    if (nodeSoftwareMeasurement.length != MEASUREMENT_LENGTH) {
      throw new IllegalArgumentException(
          "the node software measurement is SHA-384 (48 bytes), got "
              + nodeSoftwareMeasurement.length);
    }
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain id must be positive, got " + chainId);
    }
    TreeSet<Bytes32> sorted = new TreeSet<>(modelIds);
    if (sorted.size() != modelIds.size()) {
      throw new IllegalArgumentException("model ids must be distinct: " + modelIds);
    }
    nodeSoftwareMeasurement = nodeSoftwareMeasurement.clone();
    modelIds = List.copyOf(sorted);
  }

  /** A copy of the 48-byte node software measurement. */
  @Override
  public byte[] nodeSoftwareMeasurement() {
    return nodeSoftwareMeasurement.clone();
  }

  /** The canonical encoding described on the class. */
  public byte[] canonicalBytes() {
    return CborEncoder.encode(
        CborArray.of(
            CborTextString.of(DOMAIN),
            CborByteString.of(nodeSoftwareMeasurement),
            CborArray.of(modelIds.stream().map(id -> CborByteString.of(id.toArray())).toList()),
            CborInteger.of(chainId),
            CborByteString.of(registry.toArray()),
            CborByteString.of(operator.toArray())));
  }

  /**
   * Reads a manifest from its canonical bytes (as a node serves them to a KeyApproval committee).
   * Only the canonical encoding is accepted: bytes that decode but would encode differently (long
   * heads, unsorted or repeated model ids, indefinite lengths) are refused, so that one manifest
   * has one SHA-256.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static EnclaveManifest decode(byte[] canonical) {
    CborItem item;
    try {
      item = CborDecoder.decode(canonical);
    } catch (CborException e) {
      throw new IllegalArgumentException("the manifest is not CBOR: " + e.getMessage(), e);
    }
    if (!(item instanceof CborArray a) || a.size() != 6) {
      throw new IllegalArgumentException(
          "a manifest is a CBOR array of 6 (domain, software, models, chain id, registry,"
              + " operator), got "
              + item.kind());
    }
    if (!(a.get(0) instanceof CborTextString domain) || !domain.value().equals(DOMAIN)) {
      throw new IllegalArgumentException(
          "the manifest does not start with \"" + DOMAIN + "\": an unknown layout");
    }
    byte[] software = bytes(a.get(1), "the node software measurement", MEASUREMENT_LENGTH);
    if (!(a.get(2) instanceof CborArray models)) {
      throw new IllegalArgumentException("the manifest's model ids are not an array");
    }
    List<Bytes32> ids = new java.util.ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      ids.add(Bytes32.wrap(bytes(models.get(i), "model id " + i, 32)));
    }
    if (!(a.get(3) instanceof CborInteger chain)
        || chain.value().signum() <= 0
        || chain.value().bitLength() > 63) {
      throw new IllegalArgumentException("the manifest's chain id is not a positive integer");
    }
    EnclaveManifest m =
        new EnclaveManifest(
            software,
            ids,
            chain.value().longValueExact(),
            Address.wrap(bytes(a.get(4), "the registry address", 20)),
            Address.wrap(bytes(a.get(5), "the operator address", 20)));
    if (!Arrays.equals(m.canonicalBytes(), canonical)) {
      throw new IllegalArgumentException(
          "the manifest is not in canonical form (shortest heads, definite lengths, model ids"
              + " ascending and distinct)");
    }
    return m;
  }

  private static byte[] bytes(CborItem item, String what, int length) {
    if (!(item instanceof CborByteString b) || b.length() != length) {
      throw new IllegalArgumentException(
          "the manifest's " + what + " is not a byte string of " + length + " bytes");
    }
    return b.value();
  }

  /** SHA-256 of the canonical bytes: the value an enclave puts in {@code user_data}. */
  public byte[] userData() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(canonicalBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnclaveManifest m && Arrays.equals(canonicalBytes(), m.canonicalBytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(canonicalBytes());
  }

  @Override
  public String toString() {
    return "EnclaveManifest[software="
        + Hex.encode(nodeSoftwareMeasurement)
        + ", models="
        + modelIds
        + ", chainId="
        + chainId
        + ", registry="
        + registry
        + ", operator="
        + operator
        + "]";
  }
}
