package io.vouch.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import io.vouch.benchmodels.ClassifierModel;
import io.vouch.benchmodels.ConvNets;
import io.vouch.chain.AnvilProcess;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.hub.http.HubClient;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.zk.mlp.ZkCompiler;
import io.vouch.zk.mlp.ZkModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vouch model push --levels vanilla,zkml} against a real anvil and model hub. */
class ModelPushZkmlTest {
  @TempDir static Path dir;
  static AnvilProcess anvil;
  static VouchDeployment deployment;
  static HubServer hub;
  static Path deploymentFile;
  static String key;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws Exception {
    anvil = AnvilProcess.start();
    deployment =
        VouchDeployment.deploy(
            TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst()),
            VouchDeployment.Parameters.devnet());
    deploymentFile = dir.resolve("deployment.json");
    deployment.writeTo(deploymentFile);
    hub =
        HubServer.start(
            ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
    Secp256k1.KeyPair publisher =
        Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("vouch-cli-zk-push/publisher"));
    anvil.setBalance(publisher.address(), BigInteger.TEN.pow(20));
    key = Keccak.hash("vouch-cli-zk-push/publisher").toHex();
  }

  @AfterAll
  static void stop() {
    if (hub != null) {
      hub.close();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  @Test
  void zkmlPushStoresTheZkModelOnTheHubAndItsIdOnChain() throws Exception {
    Path onnx = Files.write(dir.resolve("mlp.onnx"), TestModels.randomMlpOnnx(5, 32, 16, 4));

    int exit = push(onnx, "zk-mlp", "--min-agreement", "0.9", "--json");

    assertThat(exit).as(err.toString()).isZero();
    Bytes32 onChain =
        Bytes32.wrap(
            deployment
                .modelRegistry(TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst()))
                .getModel(io.vouch.core.ModelId.of("zk-mlp", 1).toArray())
                .send()
                .zkModelId);
    var version = HubClient.of(hub.uri()).showVersion("zk-mlp", "1");
    var file =
        version.manifest().files().stream()
            .filter(f -> f.path().equals(ZkModelFile.HUB_FILE_NAME))
            .findFirst()
            .orElseThrow();
    byte[] zkFile = HubClient.of(hub.uri()).fetchBlob(file.cid());
    assertThat(ZkModelFile.load("hub", zkFile).modelId()).isEqualTo(onChain);
    assertThat(onChain.isZero()).isFalse();
  }

  @Test
  void anUnsupportedOpIsRefusedByNameAndNothingIsPublished() throws Exception {
    OnnxMl.ModelProto.Builder model =
        OnnxMl.ModelProto.parseFrom(TestModels.randomMlpOnnx(5, 32, 16, 4)).toBuilder();
    for (OnnxMl.NodeProto.Builder node : model.getGraphBuilder().getNodeBuilderList()) {
      if (node.getOpType().equals("Relu")) {
        node.setOpType("Sin"); // ONNX Runtime runs it; the ZKML level has no proof for it
      }
    }
    Path sine = Files.write(dir.resolve("sine.onnx"), model.build().toByteArray());

    int exit = push(sine, "sine");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("unsupported op 'Sin'").contains("ZKML");
    assertThat(
            deployment
                .modelRegistry(TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst()))
                .latestVersion("sine")
                .send())
        .isZero();
    assertThat(HubClient.of(hub.uri()).listRepositories())
        .noneMatch(r -> r.toString().contains("sine"));
  }

  /**
   * The push compiles through {@code vouch zk compile}'s code: a regression output ([N, 1]) is held
   * to max relative error, and one over {@code --max-relative-error} is refused naming the output,
   * the measure, the value and the threshold, with nothing published.
   */
  @Test
  void aRegressionOutputOverItsRelativeErrorIsRefusedAndNothingIsPublished() throws Exception {
    Path onnx =
        Files.write(
            dir.resolve("regressor.onnx"), io.vouch.cli.zk.ZkCompileAccuracyTest.regressor(4));

    int exit = push(onnx, "regressor", "--max-relative-error", "0.0001");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("cannot be served at ZKML")
        .contains("output 'value' (measured automatically, max relative error")
        .contains("is above --max-relative-error 0.0001");
    assertThat(
            deployment
                .modelRegistry(TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst()))
                .latestVersion("regressor")
                .send())
        .isZero();
    assertThat(HubClient.of(hub.uri()).listRepositories())
        .noneMatch(r -> r.toString().contains("regressor"));
  }

  /**
   * Every op the compiler refuses is named in one message, the compiler's own (not only the first),
   * and nothing is published.
   */
  @Test
  void everyUnsupportedOpIsNamedInOneMessageTheCompilersOwn() throws Exception {
    OnnxMl.ModelProto.Builder model =
        OnnxMl.ModelProto.parseFrom(TestModels.randomMlpOnnx(6, 32, 16, 8, 4)).toBuilder();
    String[] replacements = {"Sin", "Cos"};
    int next = 0;
    for (OnnxMl.NodeProto.Builder node : model.getGraphBuilder().getNodeBuilderList()) {
      if (node.getOpType().equals("Relu") && next < replacements.length) {
        node.setOpType(replacements[next++]); // ONNX Runtime runs both; no proof covers either
      }
    }
    assertThat(next).isEqualTo(2);
    byte[] bytes = model.build().toByteArray();
    Path trig = Files.write(dir.resolve("trig.onnx"), bytes);
    String compilers;
    try {
      ZkCompiler.compile(OnnxModelFile.parse(bytes));
      throw new AssertionError("the compiler took Sin and Cos");
    } catch (RuntimeException e) {
      compilers = e.getMessage();
    }
    assertThat(compilers).contains("'Sin'").contains("'Cos'");

    int exit = push(trig, "trig");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(compilers).contains("ZKML");
    assertThat(err.toString().split(java.util.regex.Pattern.quote(compilers), -1)).hasSize(2);
    assertThat(
            deployment
                .modelRegistry(TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst()))
                .latestVersion("trig")
                .send())
        .isZero();
  }

  /**
   * A LeNet-5-style CNN (convolutions, pooling) is accepted at ZKML as the compiler registers it.
   */
  @Test
  void aConvolutionalNetworkIsAcceptedAtZkml() throws Exception {
    ClassifierModel lenet = ConvNets.lenet5(3);
    Path onnx = Files.write(dir.resolve("lenet.onnx"), lenet.onnx());
    float[][] calibration = lenet.inputs(1, 128);
    StringBuilder json = new StringBuilder("[");
    for (int n = 0; n < calibration.length; n++) {
      // each entry a tensor as vouch infer --input takes it
      json.append(n == 0 ? "" : ",")
          .append("{\"dtype\":\"float32\",\"shape\":[1,1,28,28],\"data\":[");
      for (int i = 0; i < calibration[n].length; i++) {
        json.append(i == 0 ? "" : ",").append(calibration[n][i]);
      }
      json.append("]}");
    }
    Path calibrationFile = Files.writeString(dir.resolve("lenet-calibration.json"), json + "]");
    Bytes32 expected =
        ZkCompiler.compile(OnnxModelFile.parse(lenet.onnx()), calibration, 0.99).model().modelId();

    int exit = push(onnx, "lenet", "--calibration", calibrationFile.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(
            Bytes32.wrap(
                deployment
                    .modelRegistry(
                        TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst()))
                    .getModel(io.vouch.core.ModelId.of("lenet", 1).toArray())
                    .send()
                    .zkModelId))
        .isEqualTo(expected);
  }

  private int push(Path onnx, String name, String... more) {
    String[] base = {
      "push",
      onnx.toString(),
      "--name",
      name,
      "--version",
      "1",
      "--levels",
      "vanilla,zkml",
      "--rpc",
      anvil.rpcUrl(),
      "--deployment",
      deploymentFile.toString(),
      "--model-hub",
      hub.uri().toString(),
      "--key",
      key
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    CommandLine cl = io.vouch.cli.VouchCommand.configure(new CommandLine(new ModelCommand()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
