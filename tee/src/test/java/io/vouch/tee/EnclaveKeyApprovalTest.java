package io.vouch.tee;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.EnclaveKeyBinding;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.EnclaveManifest;
import io.vouch.tee.policy.MeasurementId;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a KeyApproval committee member concludes about a registration, on documents the project's
 * development enclave makes: a genuine one is approved; every registration that does not hold up is
 * refused with the reason (mutated bytes, another key, a stale document, a nonce that is not a
 * recent block of this chain, a manifest that is not served or binds another node, chain, registry,
 * software or an unpublished model); a document under a root the member cannot judge (and no AWS
 * root held) is no vote.
 */
class EnclaveKeyApprovalTest {
  static final Eip712Domain REGISTRY_DOMAIN =
      Eip712Domain.of(TeeFixture.CHAIN_ID, TeeFixture.REGISTRY);
  static final Duration MAX_AGE = Duration.ofSeconds(600);

  /** The block whose hash is the fixture's nonce: 30 s before the document. */
  static final long NONCE_BLOCK = 1_234;

  static final long NONCE_TIME = TeeFixture.DOC_TIME.getEpochSecond() - 30;

  /** The registration's block: 60 s after the document. */
  static final long REGISTRATION_BLOCK = 1_240;

  static final long REGISTERED_AT = TeeFixture.DOC_TIME.getEpochSecond() + 60;
  static TeeFixture f;
  static EnclaveKeyRegistration genuine;

  /**
   * The chain, the registries and the node as a member reads them: blocks by hash, the models
   * published with the TEE level, the manifests the node serves by their SHA-256.
   */
  static final class Chain implements EnclaveKeyApproval.Deployment {
    final Map<Bytes32, long[]> blocks = new HashMap<>(); // hash -> {number, time}
    final Set<Bytes32> teeModels;
    final Map<String, byte[]> manifests = new HashMap<>();
    boolean allowed = true;

    Chain(Set<Bytes32> teeModels, EnclaveManifest... served) {
      this.teeModels = teeModels;
      blocks.put(Bytes32.wrap(TeeFixture.NONCE), new long[] {NONCE_BLOCK, NONCE_TIME});
      for (EnclaveManifest m : served) {
        serve(m.canonicalBytes(), m.userData());
      }
    }

    Chain serve(byte[] bytes, byte[] userData) {
      manifests.put(io.vouch.core.Hex.encode(userData), bytes);
      return this;
    }

    @Override
    public boolean measurementAllowed(MeasurementId measurement) {
      return allowed && measurement.equals(f.measurement());
    }

    @Override
    public OptionalLong blockTime(Bytes32 hash, long atOrBeforeBlock) {
      long[] b = blocks.get(hash);
      return b == null || b[0] > atOrBeforeBlock ? OptionalLong.empty() : OptionalLong.of(b[1]);
    }

    @Override
    public boolean servesInEnclave(Bytes32 modelId) {
      return teeModels.contains(modelId);
    }

    @Override
    public Optional<byte[]> manifest(Address node, byte[] userData) {
      return Optional.ofNullable(manifests.get(io.vouch.core.Hex.encode(userData)));
    }
  }

  static Chain chain() {
    return new Chain(Set.of(Keccak.hash("model")), f.manifest);
  }

  @BeforeAll
  static void fixture() {
    f = new TeeFixture();
    genuine = f.signer.registration(REGISTRY_DOMAIN, TeeFixture.OPERATOR, Duration.ofHours(1));
  }

  static EnclaveKeyApproval.Registration registration(
      Address key, byte[] doc, long docTime, byte[] proof) {
    return new EnclaveKeyApproval.Registration(
        TeeFixture.OPERATOR,
        key,
        Keccak.hash(genuine.measurement()),
        Keccak.hash(doc),
        docTime,
        doc,
        proof,
        REGISTERED_AT);
  }

  static EnclaveKeyApproval.Registration genuineRegistration() {
    return registration(
        genuine.enclaveKey(),
        genuine.attestationDocument(),
        genuine.docTimeSeconds(),
        genuine.keyProof().toArray());
  }

  static EnclaveKeyApproval.Outcome judge(TrustAnchors anchors, EnclaveKeyApproval.Registration r) {
    return judge(anchors, r, chain());
  }

  static EnclaveKeyApproval.Outcome judge(
      TrustAnchors anchors, EnclaveKeyApproval.Registration r, Chain chain) {
    return new EnclaveKeyApproval(new NitroAttestationVerifier(anchors), REGISTRY_DOMAIN, MAX_AGE)
        .judge(r, REGISTRATION_BLOCK, chain);
  }

  /** The fixture's registration, its block at {@code registeredAt}. */
  static EnclaveKeyApproval.Registration registeredAt(long registeredAt) {
    return new EnclaveKeyApproval.Registration(
        TeeFixture.OPERATOR,
        genuine.enclaveKey(),
        Keccak.hash(genuine.measurement()),
        genuine.attestationDocHash(),
        genuine.docTimeSeconds(),
        genuine.attestationDocument(),
        genuine.keyProof().toArray(),
        registeredAt);
  }

  /**
   * A registration by {@code node} of a document the fixture's enclave makes for {@code manifest}
   * and {@code nonce}, with the enclave key's own proof of possession for that node (an operator
   * who runs the enclave can have it sign one).
   */
  static EnclaveKeyApproval.Registration attested(
      Address node, Optional<byte[]> userData, byte[] nonce, Instant time) {
    byte[] doc =
        f.enclave.attest(Optional.of(f.signer.publicKey()), userData, Optional.of(nonce), time);
    return new EnclaveKeyApproval.Registration(
        node,
        genuine.enclaveKey(),
        Keccak.hash(genuine.measurement()),
        Keccak.hash(doc),
        time.getEpochSecond(),
        doc,
        f.signer.proveKeyPossession(REGISTRY_DOMAIN, node).toArray(),
        REGISTERED_AT);
  }

  static String refusal(EnclaveKeyApproval.Outcome o) {
    assertThat(o).isInstanceOf(EnclaveKeyApproval.Outcome.Refuse.class);
    return ((EnclaveKeyApproval.Outcome.Refuse) o).reason();
  }

  @Test
  void aGenuineRegistrationUnderAnAllowedRootIsApproved() {
    EnclaveKeyApproval.Outcome o = judge(f.developmentAnchors(), genuineRegistration());

    assertThat(o)
        .isEqualTo(
            new EnclaveKeyApproval.Outcome.Approve(f.measurement(), TrustAnchors.Kind.DEVELOPMENT));
  }

  @Test
  void aMutatedDocumentIsRefused() {
    byte[] doc = genuine.attestationDocument();
    doc[doc.length - 1] ^= 1;

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registration(
                        genuine.enclaveKey(),
                        doc,
                        genuine.docTimeSeconds(),
                        genuine.keyProof().toArray()))))
        .contains("not genuine");
  }

  @Test
  void aDevelopmentDocumentIsRefusedWhereTheDeploymentDoesNotAllowDevelopmentAttestation() {
    TrustAnchors heldButNotAllowed =
        TrustAnchors.builder().developmentRoot(f.authority.rootCertificate()).build();

    assertThat(refusal(judge(heldButNotAllowed, genuineRegistration())))
        .contains("DEVELOPMENT_ROOT_NOT_ALLOWED");
  }

  @Test
  void aDocumentOfAnotherDevelopmentRootIsRefused() {
    TrustAnchors otherRoot =
        TrustAnchors.builder()
            .developmentRoot(DevRootAuthority.generate(TeeFixture.BOOT).rootCertificate())
            .allowDevelopmentRoot(true)
            .build();

    // a simulator's document says what it is: refused as a development document
    assertThat(refusal(judge(otherRoot, genuineRegistration()))).contains("not genuine");
  }

  @Test
  void aGenuineNitroDocumentIsNoVoteForAMemberThatHoldsNoAwsRoot() {
    byte[] nitro =
        SharedFixtures.read(SharedFixtures.nitro(SharedFixtures.nitroDocuments().getFirst()));
    var someKey = TeeFixture.key("some key");
    byte[] proof =
        new EnclaveKeyBinding(TeeFixture.OPERATOR, someKey.address())
            .sign(REGISTRY_DOMAIN, someKey)
            .toArray();

    EnclaveKeyApproval.Outcome o =
        judge(f.developmentAnchors(), registration(someKey.address(), nitro, 0, proof));

    assertThat(o).isInstanceOf(EnclaveKeyApproval.Outcome.Unjudged.class);
    assertThat(o.approved()).isFalse();
  }

  @Test
  void aDocumentThatBindsAnotherKeyIsRefused() {
    Address otherKey = TeeFixture.key("another enclave").address();
    byte[] proof =
        new EnclaveKeyBinding(TeeFixture.OPERATOR, otherKey)
            .sign(REGISTRY_DOMAIN, TeeFixture.key("another enclave"))
            .toArray();

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registration(
                        otherKey, genuine.attestationDocument(), genuine.docTimeSeconds(), proof))))
        .contains("binds key " + genuine.enclaveKey())
        .contains("not the registered key " + otherKey);
  }

  @Test
  void aWrongProofOfPossessionIsRefused() {
    byte[] byTheOperator =
        new EnclaveKeyBinding(TeeFixture.OPERATOR, genuine.enclaveKey())
            .sign(REGISTRY_DOMAIN, TeeFixture.key("operator"))
            .toArray();

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registration(
                        genuine.enclaveKey(),
                        genuine.attestationDocument(),
                        genuine.docTimeSeconds(),
                        byTheOperator))))
        .contains("proof of possession recovers to");
  }

  @Test
  void aLaterDeclaredDocumentTimeIsRefused() {
    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registration(
                        genuine.enclaveKey(),
                        genuine.attestationDocument(),
                        genuine.docTimeSeconds() + 3_600,
                        genuine.keyProof().toArray()))))
        .contains("the registration says the document is of");
  }

  @Test
  void aMeasurementOtherThanTheRegisteredOneOrOffTheAllowListIsRefused() {
    EnclaveKeyApproval.Registration declaredOther =
        new EnclaveKeyApproval.Registration(
            TeeFixture.OPERATOR,
            genuine.enclaveKey(),
            Keccak.hash("another measurement"),
            genuine.attestationDocHash(),
            genuine.docTimeSeconds(),
            genuine.attestationDocument(),
            genuine.keyProof().toArray(),
            REGISTERED_AT);
    assertThat(refusal(judge(f.developmentAnchors(), declaredOther)))
        .contains("not the registered one");

    Chain revokedMeasurement = chain();
    revokedMeasurement.allowed = false;
    EnclaveKeyApproval.Outcome revoked =
        judge(f.developmentAnchors(), genuineRegistration(), revokedMeasurement);
    assertThat(refusal(revoked)).contains("not on the registry's allow-list");
  }

  @Test
  void aDocumentThatDoesNotHashToTheRegisteredHashIsRefused() {
    EnclaveKeyApproval.Registration r =
        new EnclaveKeyApproval.Registration(
            TeeFixture.OPERATOR,
            genuine.enclaveKey(),
            Keccak.hash(genuine.measurement()),
            Bytes32.ZERO,
            genuine.docTimeSeconds(),
            genuine.attestationDocument(),
            genuine.keyProof().toArray(),
            REGISTERED_AT);

    assertThat(refusal(judge(f.developmentAnchors(), r))).contains("not the registered");
  }

  // ---- freshness: judged against the registration's block time ----

  @Test
  void aDocumentOlderThanTheDeploymentsMaximumAgeAtItsRegistrationIsRefused() {
    long docTime = genuine.docTimeSeconds();
    Chain chain = chain(); // the nonce's block in the same second as the document
    chain.blocks.put(Bytes32.wrap(TeeFixture.NONCE), new long[] {NONCE_BLOCK, docTime});

    assertThat(judge(f.developmentAnchors(), registeredAt(docTime + 600), chain).approved())
        .isTrue();
    assertThat(refusal(judge(f.developmentAnchors(), registeredAt(docTime + 601), chain)))
        .contains("the document is stale")
        .contains("601 s before its registration's block")
        .contains("at most 600 s");
  }

  @Test
  void aDocumentDatedAfterItsRegistrationBeyondTheSkewIsRefused() {
    long docTime = genuine.docTimeSeconds();
    Chain chain = chain();

    assertThat(refusal(judge(f.developmentAnchors(), registeredAt(docTime - 301), chain)))
        .contains("more than 300 s after its registration's block");
  }

  @Test
  void aNonceThatIsNoBlockOfThisChainIsRefused() {
    Chain anotherChain = chain();
    anotherChain.blocks.clear();

    assertThat(refusal(judge(f.developmentAnchors(), genuineRegistration(), anotherChain)))
        .contains("is not the hash of a block of this chain")
        .contains("another chain or a replayed one");
  }

  @Test
  void aNonceOfABlockAfterTheRegistrationIsRefused() {
    Chain later = chain();
    later.blocks.put(
        Bytes32.wrap(TeeFixture.NONCE), new long[] {REGISTRATION_BLOCK + 1, NONCE_TIME});

    assertThat(refusal(judge(f.developmentAnchors(), genuineRegistration(), later)))
        .contains("at or before the registration's block " + REGISTRATION_BLOCK);
  }

  @Test
  void aNonceOfABlockOlderThanTheMaximumAgeIsRefused() {
    Chain old = chain();
    old.blocks.put(Bytes32.wrap(TeeFixture.NONCE), new long[] {NONCE_BLOCK, REGISTERED_AT - 601});

    assertThat(refusal(judge(f.developmentAnchors(), genuineRegistration(), old)))
        .contains("the document's nonce is the hash of a block of")
        .contains("601 s before the registration");
  }

  @Test
  void aDocumentDatedBeforeTheBlockItsNonceNamesIsRefused() {
    // the nonce's block came 400 s after the document's time: the time is not the document's
    Chain chain = chain();
    chain.blocks.put(
        Bytes32.wrap(TeeFixture.NONCE),
        new long[] {NONCE_BLOCK, TeeFixture.DOC_TIME.getEpochSecond() + 301});

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    registeredAt(TeeFixture.DOC_TIME.getEpochSecond() + 400),
                    chain)))
        .contains("before the block its nonce names");
  }

  @Test
  void aDocumentWithoutANonceOfABlockHashIsRefused() {
    EnclaveKeyApproval.Registration r =
        attested(
            TeeFixture.OPERATOR,
            Optional.of(f.manifest.userData()),
            new byte[] {1, 2, 3},
            TeeFixture.DOC_TIME);

    assertThat(refusal(judge(f.developmentAnchors(), r)))
        .contains("the document's nonce is 3 bytes");
  }

  // ---- the manifest binds this registration ----

  @Test
  void aDocumentReplayedByAnotherNodeIsRefusedEvenWithTheKeysProof() {
    Address other = TeeFixture.key("another operator").address();
    EnclaveKeyApproval.Registration replay =
        new EnclaveKeyApproval.Registration(
            other,
            genuine.enclaveKey(),
            Keccak.hash(genuine.measurement()),
            genuine.attestationDocHash(),
            genuine.docTimeSeconds(),
            genuine.attestationDocument(),
            f.signer.proveKeyPossession(REGISTRY_DOMAIN, other).toArray(),
            REGISTERED_AT);

    assertThat(refusal(judge(f.developmentAnchors(), replay)))
        .contains("names operator " + TeeFixture.OPERATOR)
        .contains("not the registering node " + other);
  }

  @Test
  void aDocumentMadeForAnotherChainOrRegistryIsRefused() {
    EnclaveManifest otherChain = withChain(f.manifest, 1, f.manifest.registry());
    EnclaveKeyApproval.Registration r =
        attested(
            TeeFixture.OPERATOR,
            Optional.of(otherChain.userData()),
            TeeFixture.NONCE,
            TeeFixture.DOC_TIME);
    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    r,
                    new Chain(Set.of(Keccak.hash("model")), otherChain))))
        .contains("names chain 1, not this chain " + TeeFixture.CHAIN_ID);

    EnclaveManifest otherRegistry = withChain(f.manifest, TeeFixture.CHAIN_ID, TeeFixture.HUB);
    EnclaveKeyApproval.Registration s =
        attested(
            TeeFixture.OPERATOR,
            Optional.of(otherRegistry.userData()),
            TeeFixture.NONCE,
            TeeFixture.DOC_TIME);
    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    s,
                    new Chain(Set.of(Keccak.hash("model")), otherRegistry))))
        .contains("names registry " + TeeFixture.HUB);
  }

  @Test
  void aManifestTheNodeDoesNotServeOrThatDoesNotHashToUserDataIsRefused() {
    Chain none = new Chain(Set.of(Keccak.hash("model")));
    assertThat(refusal(judge(f.developmentAnchors(), genuineRegistration(), none)))
        .contains("does not serve the manifest its enclave attested");

    Chain wrong =
        new Chain(Set.of(Keccak.hash("model")))
            .serve(
                withChain(f.manifest, 1, f.manifest.registry()).canonicalBytes(),
                f.manifest.userData());
    assertThat(refusal(judge(f.developmentAnchors(), genuineRegistration(), wrong)))
        .contains("does not hash to the document's user_data");
  }

  @Test
  void aManifestNamingAModelNotPublishedForEnclavesIsRefused() {
    Chain noTee = new Chain(Set.of(), f.manifest);

    assertThat(refusal(judge(f.developmentAnchors(), genuineRegistration(), noTee)))
        .contains("names model " + Keccak.hash("model"))
        .contains("does not publish with an enclave level");
  }

  @Test
  void aManifestWhoseSoftwareIsNotTheDocumentsPcr2IsRefused() {
    EnclaveManifest otherSoftware =
        new EnclaveManifest(
            TeeFixture.sha384("other software".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            f.manifest.modelIds(),
            TeeFixture.CHAIN_ID,
            TeeFixture.REGISTRY,
            TeeFixture.OPERATOR);
    EnclaveKeyApproval.Registration r =
        attested(
            TeeFixture.OPERATOR,
            Optional.of(otherSoftware.userData()),
            TeeFixture.NONCE,
            TeeFixture.DOC_TIME);

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    r,
                    new Chain(Set.of(Keccak.hash("model")), otherSoftware))))
        .contains("is not the document's PCR2");
  }

  @Test
  void aDocumentWithoutUserDataIsRefused() {
    EnclaveKeyApproval.Registration r =
        attested(TeeFixture.OPERATOR, Optional.empty(), TeeFixture.NONCE, TeeFixture.DOC_TIME);

    assertThat(refusal(judge(f.developmentAnchors(), r)))
        .contains("the document's user_data is absent");
  }

  @Test
  void aServedManifestThatHashesRightButIsNotCanonicalIsRefused() {
    // a manifest with two models, served with the models in descending order: the enclave
    // attested these very bytes, but they are not the canonical form
    List<Bytes32> two = List.of(Keccak.hash("model"), Keccak.hash("model b"));
    EnclaveManifest m =
        new EnclaveManifest(
            f.manifest.nodeSoftwareMeasurement(),
            two,
            TeeFixture.CHAIN_ID,
            TeeFixture.REGISTRY,
            TeeFixture.OPERATOR);
    byte[] canonical = m.canonicalBytes();
    byte[] swapped = canonical.clone();
    int first = indexOf(canonical, m.modelIds().get(0).toArray());
    int second = indexOf(canonical, m.modelIds().get(1).toArray());
    System.arraycopy(m.modelIds().get(1).toArray(), 0, swapped, first, 32);
    System.arraycopy(m.modelIds().get(0).toArray(), 0, swapped, second, 32);
    byte[] userData = sha256(swapped);
    EnclaveKeyApproval.Registration r =
        attested(TeeFixture.OPERATOR, Optional.of(userData), TeeFixture.NONCE, TeeFixture.DOC_TIME);

    assertThat(
            refusal(
                judge(
                    f.developmentAnchors(),
                    r,
                    new Chain(Set.copyOf(two)).serve(swapped, userData))))
        .contains("not in canonical form");
  }

  @Test
  void theMaximumAgeMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            new EnclaveKeyApproval(
                new NitroAttestationVerifier(f.developmentAnchors()),
                REGISTRY_DOMAIN,
                Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static EnclaveManifest withChain(EnclaveManifest m, long chainId, Address registry) {
    return new EnclaveManifest(
        m.nodeSoftwareMeasurement(), m.modelIds(), chainId, registry, m.operator());
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
