package io.vouch.node.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.chain.VouchDeployment;
import io.vouch.core.Address;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.VouchException;
import io.vouch.hub.cid.Cid;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.RecurrentTestModel;
import io.vouch.node.tee.TeeProfile;
import io.vouch.tee.dev.DevRootAuthority;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NodeAssembly}: a {@link NodeSetup} becomes a node with its local models. */
class NodeAssemblyTest {
  static final Secp256k1.KeyPair KEY =
      Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("node-assembly-test"));
  static final Address HUB = Address.fromHex("0x00000000000000000000000000000000000000aa");
  static final VouchDeployment DEPLOYMENT =
      new VouchDeployment(
          1337,
          Address.fromHex("0x00000000000000000000000000000000000000b1"),
          Address.fromHex("0x00000000000000000000000000000000000000b2"),
          Address.fromHex("0x00000000000000000000000000000000000000b3"),
          7);

  @TempDir Path dir;

  static NodeSetup direct(ModelConfig models) {
    return new NodeSetup(
        KEY,
        new HttpConfig("127.0.0.1", 0, 1000),
        new ChainConfig.DirectOnly(31337, HUB),
        models,
        Optional.empty());
  }

  static ModelConfig models(BigInteger price, LocalModel... local) {
    return new ModelConfig(List.of(local), List.of(), ref -> true, price);
  }

  ChainConfig.OnChain onChain(Optional<String> endpoint) {
    return new ChainConfig.OnChain(
        "http://127.0.0.1:8545",
        DEPLOYMENT,
        BigInteger.TWO,
        dir.resolve("node-data"),
        Duration.ofMillis(250),
        endpoint);
  }

  NodeSetup onChainSetup(Optional<String> endpoint, ModelConfig models, Optional<TeeProfile> tee) {
    return new NodeSetup(KEY, new HttpConfig("127.0.0.1", 0, 1000), onChain(endpoint), models, tee);
  }

  Path modelFile() throws Exception {
    return Files.write(dir.resolve("m.onnx"), RecurrentTestModel.onnx());
  }

  @Test
  void aLocalModelIsServedAtVanillaUnderItsNameAtTheNodesPriceIdentifiedByItsContent()
      throws Exception {
    LoadedModel m = NodeAssembly.load(new LocalModel(modelFile(), "rnn", 3), BigInteger.TEN);

    assertThat(m.modelId()).isEqualTo(ModelId.of("rnn", 3));
    assertThat(m.ref()).isEqualTo("rnn@3");
    assertThat(m.levels()).containsExactly(VerificationLevel.VANILLA);
    assertThat(m.priceWei()).isEqualTo(BigInteger.TEN);
    assertThat(m.cid()).isEqualTo(Cid.ofBytes(RecurrentTestModel.onnx()).toString());
    m.runner().close();
  }

  @Test
  void aDirectOnlyNodeServesItsLocalModelsOnceStarted() throws Exception {
    NodeApp node =
        NodeAssembly.assemble(
            direct(models(BigInteger.ZERO, new LocalModel(modelFile(), "rnn", 1))),
            Clock.systemUTC());
    try {
      node.start();
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v1/models")).build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"name\":\"rnn\"").contains(ModelId.of("rnn", 1).toHex());
    } finally {
      node.stop();
    }
  }

  @Test
  void aLocalFileThatIsNotAModelIsRefused() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.onnx"), "not a model");

    assertThatThrownBy(() ->
            NodeAssembly.assemble(
                direct(models(BigInteger.ZERO, new LocalModel(bad, "bad", 1))), Clock.systemUTC()))
        .isInstanceOf(VouchException.class);
  }

  @Test
  void theNodeConfigTakesTheDomainFromTheChainAndThePriceFromTheModels() {
    NodeConfig direct = NodeAssembly.nodeConfig(direct(models(BigInteger.TWO)));

    assertThat(direct)
        .isEqualTo(
            new NodeConfig(
                "127.0.0.1",
                0,
                KEY,
                31337,
                HUB,
                1000,
                NodeConfig.DEFAULT_MAX_BODY_BYTES,
                BigInteger.TWO));

    NodeSetup onChain =
        new NodeSetup(
            KEY,
            new HttpConfig("0.0.0.0", 8080, 5, 6),
            onChain(Optional.empty()),
            models(BigInteger.ONE),
            Optional.empty());
    NodeConfig c = NodeAssembly.nodeConfig(onChain);
    assertThat(c.chainId()).isEqualTo(DEPLOYMENT.chainId());
    assertThat(c.hub()).isEqualTo(DEPLOYMENT.inferenceHub());
    assertThat(List.of(c.host(), c.port(), c.maxInputElements(), c.maxBodyBytes()))
        .containsExactly("0.0.0.0", 8080, 5L, 6L);
  }

  @Test
  void aDirectOnlyNodeHasNoChainSettings() {
    assertThat(NodeAssembly.chainSettings(direct(models(BigInteger.ZERO)))).isEmpty();
  }

  @Test
  void aNodeOnChainKeepsItsJournalInItsDataDirAndServesWhatTheModelConfigSays() {
    ModelConfig models =
        new ModelConfig(
            List.of(),
            List.of(URI.create("http://127.0.0.1:8081")),
            Set.of("a@1")::contains,
            BigInteger.ZERO);
    NodeSetup setup =
        onChainSetup(Optional.of("http://node.example:8080"), models, Optional.empty());

    ChainSettings s = NodeAssembly.chainSettings(setup).orElseThrow();

    assertThat(s.rpcUrl()).isEqualTo("http://127.0.0.1:8545");
    assertThat(s.deployment()).isEqualTo(DEPLOYMENT);
    assertThat(s.stakeWei()).isEqualTo(BigInteger.TWO);
    assertThat(s.journal()).isEqualTo(dir.resolve("node-data").resolve("journal.jsonl"));
    assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.advertisedEndpoint()).isEqualTo("http://node.example:8080");
    assertThat(s.modelHubs()).containsExactly(URI.create("http://127.0.0.1:8081"));
    assertThat(s.servedModels().test("a@1")).isTrue();
    assertThat(s.servedModels().test("b@1")).isFalse();
    assertThat(s.tee()).isEmpty();
  }

  @Test
  void withoutAnAdvertisedEndpointTheNodeAdvertisesItsBoundUrl() {
    NodeSetup setup = onChainSetup(Optional.empty(), models(BigInteger.ZERO), Optional.empty());

    assertThat(NodeAssembly.chainSettings(setup).orElseThrow().advertisedEndpoint()).isNull();
  }

  @Test
  void aTeeProfileIsPassedToTheChainSettings() {
    TeeProfile tee = TeeProfile.development(DevRootAuthority.generate(Instant.now()));
    NodeSetup setup = onChainSetup(Optional.empty(), models(BigInteger.ZERO), Optional.of(tee));

    assertThat(NodeAssembly.chainSettings(setup).orElseThrow().tee()).contains(tee);
  }

  @Test
  void aTeeProfileNeedsANodeOnChain() {
    TeeProfile tee = TeeProfile.development(DevRootAuthority.generate(Instant.now()));

    assertThatThrownBy(() ->
            new NodeSetup(
                KEY,
                new HttpConfig("127.0.0.1", 0, 1000),
                new ChainConfig.DirectOnly(31337, HUB),
                models(BigInteger.ZERO),
                Optional.of(tee)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("on chain");
  }

  @Test
  void aPortOutsideTheRangeIsRefused() {
    assertThatThrownBy(() -> new HttpConfig("127.0.0.1", 65536, 1000))
        .hasMessage("port must be in 0..65535, got 65536");
  }

  @Test
  void sizeLimitsMustBePositive() {
    assertThatThrownBy(() -> new HttpConfig("127.0.0.1", 0, 0))
        .hasMessage("size limits must be positive");
  }

  @Test
  void aNegativePriceIsRefused() {
    assertThatThrownBy(() -> models(BigInteger.valueOf(-1)))
        .hasMessage("price must not be negative");
  }

  @Test
  void aLocalModelVersionStartsAtOne() {
    assertThatThrownBy(() -> new LocalModel(Path.of("m.onnx"), "m", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start at 1");
  }
}
