package io.vouch.tee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.EnclaveKeyBinding;
import io.vouch.core.eip712.SignedReceipt;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnclaveSignerTest {
  static final Eip712Domain REGISTRY_DOMAIN =
      Eip712Domain.of(TeeFixture.CHAIN_ID, TeeFixture.REGISTRY);
  private static TeeFixture f;

  @BeforeAll
  static void boot() {
    f = new TeeFixture();
  }

  @Test
  void theAttestationBindsTheUncompressedEnclaveKeyTheManifestAndTheNonce() {
    var doc = f.evidence.document();

    assertThat(doc.publicKey()).hasValue(f.signer.publicKey());
    assertThat(f.signer.publicKey()).hasSize(65).startsWith(0x04);
    assertThat(doc.userData()).hasValue(f.manifest.userData());
    assertThat(doc.nonce()).hasValue(TeeFixture.NONCE);
    assertThat(f.evidence.enclaveKey()).isEqualTo(TeeFixture.key("enclave").address());
  }

  @Test
  void theEvidenceHashIsKeccakOfTheDocumentAsEmitted() {
    assertThat(f.evidence.evidenceHash()).isEqualTo(Keccak.hash(f.evidence.attestationDocument()));
  }

  @Test
  void aSignedReceiptIsLevelTeeCarriesTheEvidenceHashAndRecoversToTheEnclaveKey() {
    SignedReceipt signed = f.signer.sign(TeeFixture.DOMAIN, TeeFixture.draft());

    assertThat(signed.receipt().level()).isEqualTo(VerificationLevel.TEE);
    assertThat(signed.receipt().evidenceHash()).isEqualTo(f.evidence.evidenceHash());
    assertThat(signed.receipt().node()).isEqualTo(TeeFixture.OPERATOR);
    assertThat(signed.signer(TeeFixture.DOMAIN)).isEqualTo(f.signer.address());
  }

  @Test
  void signingBeforeAnyAttestationIsRefused() {
    EnclaveSigner fresh = EnclaveSigner.generate(f.enclave::attest, new SecureRandom());

    assertThatThrownBy(() -> fresh.sign(TeeFixture.DOMAIN, TeeFixture.draft()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("attest");
  }

  @Test
  void anAttesterThatBindsAnotherKeyIsRefused() {
    byte[] otherKey = EnclaveKeys.uncompressed(TeeFixture.key("other").publicKey());
    EnclaveSigner lying =
        EnclaveSigner.withKey(
            (pk, ud, nonce, t) -> f.enclave.attest(java.util.Optional.of(otherKey), ud, nonce, t),
            TeeFixture.key("enclave"));

    assertThatThrownBy(() -> lying.attest(f.manifest, TeeFixture.NONCE, TeeFixture.DOC_TIME))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("instead of the enclave key");
  }

  @Test
  void theRegistrationCarriesWhatTheNodeRegistryChecks() {
    EnclaveKeyRegistration r =
        f.signer.registration(REGISTRY_DOMAIN, TeeFixture.OPERATOR, Duration.ofHours(12));

    assertThat(r.enclaveKey()).isEqualTo(f.signer.address());
    assertThat(r.measurement()).isEqualTo(f.measurement().toArray()).hasSize(48);
    assertThat(r.attestationDocHash()).isEqualTo(Keccak.hash(r.attestationDocument()));
    assertThat(r.docTimeSeconds()).isEqualTo(TeeFixture.DOC_TIME.getEpochSecond());
    assertThat(r.expirySeconds()).isEqualTo(TeeFixture.DOC_TIME.getEpochSecond() + 12 * 3_600);
    assertThat(
            Secp256k1.recover(
                new EnclaveKeyBinding(TeeFixture.OPERATOR, f.signer.address())
                    .digest(REGISTRY_DOMAIN),
                r.keyProof()))
        .as("the proof of possession binds the operator, in the registry's domain")
        .isEqualTo(f.signer.address());
  }

  @Test
  void theProofOfPossessionIsForOneNodeOnOneRegistry() {
    var proof = f.signer.proveKeyPossession(REGISTRY_DOMAIN, TeeFixture.OPERATOR);
    var binding = new EnclaveKeyBinding(TeeFixture.OPERATOR, f.signer.address());

    assertThat(Secp256k1.recover(binding.digest(REGISTRY_DOMAIN), proof))
        .isEqualTo(f.signer.address());
    assertThat(
            Secp256k1.recover(
                new EnclaveKeyBinding(TeeFixture.key("squatter").address(), f.signer.address())
                    .digest(REGISTRY_DOMAIN),
                proof))
        .isNotEqualTo(f.signer.address());
    assertThat(Secp256k1.recover(binding.digest(TeeFixture.DOMAIN), proof))
        .as("the hub's domain is not the registry's")
        .isNotEqualTo(f.signer.address());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void theAddressOfAnAttestedPublicKeyIsTheKeysEvmAddress(long seed) {
    byte[] secret = new byte[32];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 32; i++) {
      secret[i] = (byte) random.nextInt(256);
    }
    Secp256k1.KeyPair key = Secp256k1.KeyPair.fromPrivateKey(io.vouch.core.Bytes32.wrap(secret));

    assertThat(EnclaveKeys.addressOf(EnclaveKeys.uncompressed(key.publicKey())))
        .isEqualTo(key.address());
  }

  @Test
  void aPublicKeyThatIsNotAnUncompressedPointHasNoAddress() {
    assertThatThrownBy(() -> EnclaveKeys.addressOf(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65-byte uncompressed");
  }
}
