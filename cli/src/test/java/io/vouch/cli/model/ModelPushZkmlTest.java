package io.vouch.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
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
import io.vouch.onnx.testmodels.TestModels;
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
