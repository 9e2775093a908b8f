package io.vouch.tee;

import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.EnclaveKeyBinding;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.tee.policy.EnclaveManifest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The enclave side of the TEE level: a secp256k1 key made inside the enclave at boot, the
 * attestation that binds it, and TEE receipts signed with it.
 *
 * <p>The attestation binds {@code public_key} = the key as a 65-byte uncompressed point ({@link
 * EnclaveKeys}), {@code user_data} = SHA-256 of the {@link EnclaveManifest}, {@code nonce} = the
 * caller's challenge (for a registry registration: the hash of a recent block, which dates the
 * document). Every receipt is signed with level TEE and {@code evidenceHash} = keccak256 of the
 * current attestation document ({@link TeeEvidence#evidenceHash()}), the hash the NodeRegistry
 * stores for the key.
 *
 * <p>Registering the key needs a proof of possession ({@link #proveKeyPossession}): the key signs
 * {@code EnclaveKeyBinding(node, enclaveKey)} in the NodeRegistry's EIP-712 domain.
 *
 * <p>The private key never leaves this object (no accessor): in a real enclave this class runs
 * inside it; with the development simulator it runs in the node's process and guarantees nothing.
 */
public final class EnclaveSigner {
  private final EnclaveAttester attester;
  private final Secp256k1.KeyPair key;
  private volatile TeeEvidence evidence;

  private EnclaveSigner(EnclaveAttester attester, Secp256k1.KeyPair key) {
    this.attester = attester;
    this.key = key;
  }

  /** Makes a fresh enclave key. */
  public static EnclaveSigner generate(EnclaveAttester attester, SecureRandom random) {
    return new EnclaveSigner(attester, Secp256k1.KeyPair.generate(random));
  }

  /** Uses a given key (tests and deterministic fixtures). */
  public static EnclaveSigner withKey(EnclaveAttester attester, Secp256k1.KeyPair key) {
    return new EnclaveSigner(attester, key);
  }

  /** The enclave key's address: what ecrecover returns for its signatures. */
  public Address address() {
    return key.address();
  }

  /** The 65-byte uncompressed public key, as attested in {@code public_key}. */
  public byte[] publicKey() {
    return EnclaveKeys.uncompressed(key.publicKey());
  }

  /**
   * Asks the enclave for a new attestation of this key and makes it the evidence of later receipts.
   */
  public TeeEvidence attest(EnclaveManifest manifest, byte[] nonce, Instant time) {
    byte[] document =
        attester.attest(
            Optional.of(publicKey()),
            Optional.of(manifest.userData()),
            Optional.of(nonce.clone()),
            time);
    TeeEvidence fresh = TeeEvidence.of(document);
    if (!fresh.enclaveKey().equals(address())) {
      throw new IllegalStateException(
          "the attester bound " + fresh.enclaveKey() + " instead of the enclave key " + address());
    }
    this.evidence = fresh;
    return fresh;
  }

  /**
   * The current evidence.
   *
   * @throws IllegalStateException before the first {@link #attest}
   */
  public TeeEvidence evidence() {
    TeeEvidence e = evidence;
    if (e == null) {
      throw new IllegalStateException("the enclave key has no attestation yet; call attest first");
    }
    return e;
  }

  /**
   * The proof of possession {@code NodeRegistry.registerEnclaveKey} requires: this key's signature
   * over {@code EnclaveKeyBinding(node, enclaveKey)} in the registry's EIP-712 domain (chain id and
   * registry address), so that only {@code node} can register this key, on that registry only.
   *
   * @param registryDomain {@code Eip712Domain.of(chainId, nodeRegistry)}
   * @param node the staked address that will send the registration
   */
  public Signature proveKeyPossession(Eip712Domain registryDomain, Address node) {
    return new EnclaveKeyBinding(node, address()).sign(registryDomain, key);
  }

  /**
   * The arguments of {@code NodeRegistry.registerEnclaveKey} for the current evidence, with the
   * proof of possession for {@code node}.
   *
   * @param ttl how long past the document's time the key may sign (at most the registry's {@code
   *     maxAttestationTtl})
   */
  public EnclaveKeyRegistration registration(
      Eip712Domain registryDomain, Address node, Duration ttl) {
    return evidence().registration(ttl, proveKeyPossession(registryDomain, node));
  }

  /**
   * Signs {@code draft} as a TEE receipt in {@code domain}: its level becomes TEE and its
   * evidenceHash the current attestation document's hash; every other field is kept (the {@code
   * node} field stays the node's staked address).
   */
  public SignedReceipt sign(Eip712Domain domain, InferenceReceipt draft) {
    InferenceReceipt receipt =
        new InferenceReceipt(
            draft.requestId(),
            draft.modelId(),
            draft.inputHash(),
            draft.outputHash(),
            VerificationLevel.TEE,
            evidence().evidenceHash(),
            draft.node(),
            draft.timestamp(),
            draft.sequence());
    return new SignedReceipt(receipt, receipt.sign(domain, key));
  }
}
