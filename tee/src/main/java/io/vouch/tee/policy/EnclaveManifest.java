package io.vouch.tee.policy;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.tee.cbor.CborArray;
import io.vouch.tee.cbor.CborByteString;
import io.vouch.tee.cbor.CborEncoder;
import io.vouch.tee.cbor.CborInteger;
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
