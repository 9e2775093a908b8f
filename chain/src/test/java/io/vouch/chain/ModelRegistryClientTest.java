package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vouch.chain.registry.ModelRegistryClient;
import io.vouch.chain.registry.ModelRegistryError;
import io.vouch.chain.registry.ModelTerms;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The typed ModelRegistry client: a model's terms, the list, names, and publishing. */
class ModelRegistryClientTest extends DevChainTest {
  static final Bytes32 DEFAULT_TOLERANCE =
      Bytes32.fromHex("0x0138d1b717000000000000000000000000000000000000000000000000000000");

  ModelRegistryClient client(io.vouch.chain.tx.TransactionSender s) {
    return new ModelRegistryClient(s, deployment);
  }

  static ModelRegistryClient.Publication publication(String name, int version) {
    return new ModelRegistryClient.Publication(
        name,
        version,
        "bafy-" + name + "-" + version,
        Keccak.hash("schema of " + name),
        Bytes32.ZERO,
        Set.of(VerificationLevel.VANILLA, VerificationLevel.TEE),
        BigInteger.valueOf(42),
        Optional.empty());
  }

  @Test
  void aVersionPublishedWithItsOwnAuditTermsKeepsThem() {
    ModelRegistryClient owner = client(modelOwner);
    Bytes32 exact = Bytes32.ZERO;
    ModelRegistryClient.Publication p = publication("audited", 1);
    ModelRegistryClient.Published published =
        owner.publish(
            new ModelRegistryClient.Publication(
                p.name(),
                p.version(),
                p.cid(),
                p.schemaHash(),
                p.zkModelId(),
                p.levels(),
                p.feeWei(),
                Optional.of(new ModelRegistryClient.AuditTerms(10_000, exact))));
    ModelTerms t = owner.terms(published.modelId()).orElseThrow();
    assertThat(t.auditRateBps()).isEqualTo(10_000);
    assertThat(t.tolerance()).isEqualTo(exact);
    // without terms: the registry's defaults
    ModelTerms d = owner.terms(owner.publish(publication("audited", 2)).modelId()).orElseThrow();
    assertThat(d.tolerance()).isEqualTo(DEFAULT_TOLERANCE);
    assertThat(d.auditRateBps()).isEqualTo(PARAMETERS.court().defaultAuditRateBps());
  }

  @Test
  void anAuditRateAbove100PercentIsRefusedBeforeAnyTransaction() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new ModelRegistryClient.AuditTerms(10_001, Bytes32.ZERO))
        .withMessageContaining("10,000 basis points");
  }

  @Test
  void aPublishedModelsTermsReadAsTypedData() {
    ModelTerms t =
        ModelRegistryClient.readOnly(anvil.web3j(), deployment).terms(modelId).orElseThrow();

    assertThat(t.modelId()).isEqualTo(modelId);
    assertThat(t.ref()).isEqualTo("support-intent@1");
    assertThat(t.owner()).isEqualTo(modelOwner.address());
    assertThat(t.cid()).isEqualTo("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy");
    assertThat(t.schemaHash()).isEqualTo(Keccak.hash("schema"));
    assertThat(t.zkModelId()).isEqualTo(Bytes32.ZERO);
    assertThat(t.levels()).containsExactly(VerificationLevel.VANILLA);
    assertThat(t.feeWei()).isEqualTo(MODEL_FEE);
    assertThat(t.challengeWindowSeconds()).isEqualTo(CHALLENGE_WINDOW);
    assertThat(t.publishedAt()).isPositive();
    assertThat(t.tolerance()).isEqualTo(DEFAULT_TOLERANCE);
    assertThat(client(stranger).toleranceOf(modelId)).isEqualTo(DEFAULT_TOLERANCE);
  }

  @Test
  void anUnpublishedModelHasNoTerms() {
    assertThat(client(stranger).terms(ModelId.of("never-published", 1))).isEmpty();
  }

  @Test
  void aPublishedVersionIsListedNamedOwnedAndFoundByItsTransaction() {
    ModelRegistryClient owner = client(modelOwner);
    long before = owner.modelCount();

    ModelRegistryClient.Published p = owner.publish(publication("intents", 1));
    owner.publish(publication("intents", 2));

    assertThat(p.modelId()).isEqualTo(ModelId.of("intents", 1));
    assertThat(owner.modelCount()).isEqualTo(before + 2);
    assertThat(owner.modelAt(before)).isEqualTo(p.modelId());
    assertThat(owner.latestVersion("intents")).isEqualTo(2);
    assertThat(owner.latestVersion("nobody")).isZero();
    assertThat(owner.ownerOfName("intents")).isEqualTo(modelOwner.address());
    assertThat(owner.ownerOfName("nobody")).isEqualTo(Address.ZERO);
    assertThat(owner.publishTransactions()).containsEntry(p.modelId(), p.transactionHash());
    ModelTerms t = owner.terms(p.modelId()).orElseThrow();
    assertThat(t.levels())
        .containsExactlyInAnyOrder(VerificationLevel.VANILLA, VerificationLevel.TEE);
    assertThat(t.feeWei()).isEqualTo(BigInteger.valueOf(42));
  }

  @Test
  void publishingUnderANameAnotherKeyOwnsIsRefusedAsNotNameOwnerWithTheOwner() {
    client(modelOwner).publish(publication("taken", 1));

    ContractRevertException e =
        catchThrowableOfType(
            ContractRevertException.class, () -> client(stranger).publish(publication("taken", 2)));

    assertThat(ModelRegistryError.of(e)).contains(ModelRegistryError.NOT_NAME_OWNER);
    assertThat(e.argument("owner")).isEqualTo(modelOwner.address());
  }

  @Test
  void publishingAVersionTwiceIsRefusedAsVersionAlreadyPublished() {
    client(modelOwner).publish(publication("once", 1));

    ContractRevertException e =
        catchThrowableOfType(
            ContractRevertException.class,
            () -> client(modelOwner).publish(publication("once", 1)));

    assertThat(ModelRegistryError.of(e)).contains(ModelRegistryError.VERSION_ALREADY_PUBLISHED);
  }

  @Test
  void aReadOnlyClientCannotPublish() {
    assertThat(
            catchThrowableOfType(
                NoKeyException.class,
                () ->
                    ModelRegistryClient.readOnly(anvil.web3j(), deployment)
                        .publish(publication("x", 1))))
        .isNotNull();
  }
}
