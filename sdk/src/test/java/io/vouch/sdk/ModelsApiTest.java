package io.vouch.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.error.ErrorCode;
import io.vouch.hub.cid.Cid;
import io.vouch.hub.http.HubClient;
import io.vouch.hub.repo.VersionSummary;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.PushRequest;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushing to the hub and the ModelRegistry, and reading models back from the chain. */
class ModelsApiTest {
  static Devnet devnet;
  static VouchClient owner;

  @BeforeAll
  static void connect() {
    devnet = Devnet.get();
    owner = devnet.client(devnet.fundedKey("models-owner"));
  }

  @AfterAll
  static void close() {
    owner.close();
  }

  static PushRequest request(String name, int version) {
    return PushRequest.vanilla(
        name, version, BigInteger.valueOf(77), Keccak.hash("schema-" + name));
  }

  @Test
  void pushPublishesOnChainWhatTheHubServesUnderTheCid() throws Exception {
    PublishedModel m = owner.models().push(devnet.onnxFile, request("pushed", 1));

    assertThat(m.modelId()).isEqualTo(ModelId.of("pushed", 1));
    assertThat(m.owner()).isEqualTo(owner.address().orElseThrow());
    assertThat(m.levels()).containsExactly(VerificationLevel.VANILLA);
    assertThat(m.feeWei()).isEqualTo(BigInteger.valueOf(77));
    assertThat(m.schemaHash()).isEqualTo(Keccak.hash("schema-pushed"));
    assertThat(m.txHash()).isPresent();
    assertThat(HubClient.of(devnet.hub.uri()).fetchBlob(Cid.parse(m.cid())))
        .isEqualTo(Files.readAllBytes(devnet.onnxFile));
  }

  @Test
  void theModelFileIsFetchedByTheCidTheRegistryRecords(@TempDir Path tmp) throws Exception {
    Path target = tmp.resolve("fetched.onnx");

    owner.models().fetchModelFile(devnet.demo, target);

    assertThat(Files.readAllBytes(target)).isEqualTo(devnet.onnx);
  }

  @Test
  void showReadsBackWhatWasPushedByRefAndById() {
    PublishedModel pushed = owner.models().push(devnet.onnxFile, request("shown", 1));

    assertThat(owner.models().show("shown@1")).isEqualTo(pushed);
    assertThat(owner.models().show(pushed.modelId().toHex())).isEqualTo(pushed);
  }

  @Test
  void aBareNameShowsTheLatestVersion() {
    owner.models().push(devnet.onnxFile, request("versioned", 1));
    owner.models().push(devnet.onnxFile, request("versioned", 2));

    assertThat(owner.models().show("versioned").version()).isEqualTo(2);
  }

  @Test
  void listHasEveryPublishedModelWithItsTransaction() {
    PublishedModel pushed = owner.models().push(devnet.onnxFile, request("listed", 1));

    try (VouchClient readOnly = devnet.readOnlyClient()) {
      assertThat(readOnly.models().list())
          .contains(pushed)
          .anySatisfy(m -> assertThat(m.ref()).isEqualTo("demo@1"));
    }
  }

  @Test
  void pushingAPublishedVersionAgainNamesTheNextVersion() {
    owner.models().push(devnet.onnxFile, request("immutable", 1));

    assertThatThrownBy(() -> owner.models().push(devnet.onnxFile, request("immutable", 1)))
        .isInstanceOf(ModelVersionExistsException.class)
        .hasMessageContaining("push it as version 2");
  }

  @Test
  void aNameOwnedByAnotherKeyIsRefusedBeforeAnythingIsPushed() throws Exception {
    owner.models().push(devnet.onnxFile, request("taken", 1));
    try (VouchClient other = devnet.client(devnet.fundedKey("models-other"))) {
      assertThatThrownBy(() -> other.models().push(devnet.onnxFile, request("taken", 2)))
          .isInstanceOf(ModelNameOwnedException.class)
          .hasMessageContaining("owned by " + owner.address().orElseThrow())
          .hasMessageContaining("push under another name");
    }
    assertThat(HubClient.of(devnet.hub.uri()).listVersions("taken"))
        .extracting(VersionSummary::version)
        .as("the refused version never reached the hub")
        .containsExactly("1");
  }

  @Test
  void anUnknownModelIsUnknownModel() {
    assertThatThrownBy(() -> owner.models().show("nothing-here@3"))
        .isInstanceOfSatisfying(
            VouchClientException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_MODEL));
  }

  @Test
  void aClientWithoutAKeyCannotPushAndSaysWhy() {
    try (VouchClient readOnly = devnet.readOnlyClient()) {
      assertThatThrownBy(() -> readOnly.models().push(devnet.onnxFile, request("keyless", 1)))
          .isInstanceOf(VouchClientException.class)
          .hasMessageContaining("no key");
    }
  }

  @Test
  void aMissingFileIsRefusedWithItsPath() {
    Path missing = devnet.onnxFile.resolveSibling("missing.onnx");

    assertThatThrownBy(() -> owner.models().push(missing, request("missing", 1)))
        .hasMessageContaining(missing.toString());
  }
}
