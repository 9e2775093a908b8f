package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.tee.dev.DevEnclave;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.tee.policy.EnclaveManifest;
import io.vouch.tee.policy.MeasurementId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

/**
 * A simulated enclave (development root) with an enclave signer attested for one manifest: the
 * shared starting point of the TEE receipt tests. Built once per test class (key generation and
 * certificate issuance take a moment).
 */
final class TeeFixture {
  static final Instant BOOT = Instant.parse("2026-05-01T08:00:00Z");
  static final Instant DOC_TIME = BOOT.plusSeconds(90);
  static final long CHAIN_ID = 31_337;
  static final Address REGISTRY = Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  static final Address HUB = Address.fromHex("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0");
  static final Address OPERATOR = Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  static final Eip712Domain DOMAIN = Eip712Domain.of(CHAIN_ID, HUB);
  static final byte[] NONCE = Keccak.hash("block 1234").toArray();

  final DevRootAuthority authority;
  final DevEnclave enclave;
  final EnclaveManifest manifest;
  final EnclaveSigner signer;
  final TeeEvidence evidence;

  TeeFixture() {
    authority = DevRootAuthority.generate(BOOT);
    byte[] software = "vouch node 0.1.0".getBytes(StandardCharsets.UTF_8);
    enclave = authority.startEnclave(software, "config".getBytes(StandardCharsets.UTF_8), BOOT);
    manifest =
        new EnclaveManifest(
            sha384(software), List.of(Keccak.hash("model")), CHAIN_ID, REGISTRY, OPERATOR);
    signer = EnclaveSigner.withKey(enclave::attest, key("enclave"));
    evidence = signer.attest(manifest, NONCE, DOC_TIME);
  }

  static Secp256k1.KeyPair key(String name) {
    return Secp256k1.KeyPair.fromPrivateKey(Keccak.hash(name));
  }

  MeasurementId measurement() {
    return MeasurementId.of(enclave.pcr(0), enclave.pcr(1), enclave.pcr(2));
  }

  TrustAnchors developmentAnchors() {
    return TrustAnchors.builder()
        .developmentRoot(authority.rootCertificate())
        .allowDevelopmentRoot(true)
        .build();
  }

  AttestationPolicy policy() {
    return AttestationPolicy.builder().allow(measurement()).expectedManifest(manifest).build();
  }

  NitroAttestationVerifier developmentVerifier() {
    return new NitroAttestationVerifier(developmentAnchors());
  }

  /** What the node would sign for one inference, a minute after the attestation. */
  static InferenceReceipt draft() {
    return new InferenceReceipt(
        Bytes32.fromUint(java.math.BigInteger.valueOf(7)),
        Keccak.hash("model"),
        Keccak.hash("input"),
        Keccak.hash("output"),
        VerificationLevel.VANILLA,
        Bytes32.ZERO,
        OPERATOR,
        DOC_TIME.getEpochSecond() + 60,
        1);
  }

  static byte[] sha384(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
