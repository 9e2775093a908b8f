package io.vouch.sdk;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.EscrowBooks;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.tensor.Tensor;
import io.vouch.hub.http.HubServer;
import io.vouch.hub.http.HubServerConfig;
import io.vouch.hub.repo.ModelRepository;
import io.vouch.hub.store.InMemoryContentStore;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.testmodels.TestModels;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.PushRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One real devnet for all SDK tests in this JVM: anvil with the Vouch contracts deployed, a model
 * hub on loopback (in-memory store), the model {@code demo@1} pushed through the SDK, and two nodes
 * (real {@link NodeApp}s serving it over HTTP) registered on chain with stake. Tests that change
 * the registry put it back (unbond what they registered) so that the others see this state.
 */
final class Devnet {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger MODEL_FEE = BigInteger.valueOf(500);
  static final BigInteger PRICE_A = BigInteger.valueOf(2_000);
  static final BigInteger PRICE_B = BigInteger.valueOf(3_000);
  static final long CHALLENGE_WINDOW = 60;
  static final int MAX_ATTEMPTS = 2;

  private static Devnet shared;

  final AnvilProcess anvil;
  final VouchDeployment deployment;
  final HubServer hub;
  final byte[] onnx;
  final Path onnxFile;
  final Secp256k1.KeyPair publisher = key("publisher");
  final PublishedModel demo;
  final TestNode nodeA;
  final TestNode nodeB;
  private final Map<Address, TestNode> nodes = new ConcurrentHashMap<>();

  /** A node process and the key it signs receipts with. */
  record TestNode(Secp256k1.KeyPair key, NodeApp app) {
    Address address() {
      return key.address();
    }
  }

  static synchronized Devnet get() {
    if (shared == null) {
      shared = new Devnet();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  private Devnet() {
    anvil = AnvilProcess.start();
    try {
      TransactionSender deployer =
          TransactionSender.create(anvil.web3j(), anvil.devKeys().getFirst());
      deployment =
          VouchDeployment.deploy(
              deployer,
              new VouchDeployment.Parameters(
                  ETH, 86_400, CHALLENGE_WINDOW, 3_600, 500_000, MAX_ATTEMPTS, 3_600));
      hub =
          HubServer.start(
              ModelRepository.inMemory(new InMemoryContentStore()), HubServerConfig.loopback());
      onnx = TestModels.randomMlpOnnx(7, 8, 4, 3);
      onnxFile = Files.createTempFile("vouch-sdk-demo", ".onnx");
      Files.write(onnxFile, onnx);
      try (VouchClient c = client(fund(publisher))) {
        demo =
            c.models()
                .push(onnxFile, PushRequest.vanilla("demo", 1, MODEL_FEE, Keccak.hash("schema")));
      }
      nodeA = startNode(key("node-a"), PRICE_A);
      register(nodeA.key(), nodeA.app().baseUrl(), PRICE_A);
      nodeB = startNode(key("node-b"), PRICE_B);
      register(nodeB.key(), nodeB.app().baseUrl(), PRICE_B);
    } catch (IOException e) {
      anvil.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  /** A deterministic key per label, funded with 100 ETH on the devnet. */
  Secp256k1.KeyPair fundedKey(String label) {
    return fund(key(label));
  }

  static Secp256k1.KeyPair key(String label) {
    return Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("vouch-sdk-test/" + label));
  }

  Secp256k1.KeyPair fund(Secp256k1.KeyPair k) {
    anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(100)));
    return k;
  }

  TransactionSender sender(Secp256k1.KeyPair k) {
    return TransactionSender.create(anvil.web3j(), k);
  }

  /** Test clients read the registry every time, so that they see registry changes at once. */
  static final VouchConfig.Timeouts NO_CACHE =
      new VouchConfig.Timeouts(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ZERO);

  VouchClient client(Secp256k1.KeyPair k) {
    return VouchClient.connect(config().withKey(k));
  }

  VouchClient readOnlyClient() {
    return VouchClient.connect(config());
  }

  private VouchConfig config() {
    return VouchConfig.of(anvil.rpcUrl(), deployment).withHubs(hub.uri()).withTimeouts(NO_CACHE);
  }

  /** A node process serving demo@1 that signs with {@code signingKey}; not registered. */
  TestNode startNode(Secp256k1.KeyPair signingKey, BigInteger price) {
    NodeApp app =
        new NodeApp(
            new NodeConfig(
                "127.0.0.1",
                0,
                signingKey,
                deployment.chainId(),
                deployment.inferenceHub(),
                1 << 16,
                1 << 20,
                price),
            Clock.systemUTC(),
            ReceiptSigner.SequenceStore.inMemory());
    app.load(
        new LoadedModel(
            demo.modelId(),
            demo.name(),
            demo.version(),
            demo.cid(),
            Set.of(VerificationLevel.VANILLA),
            price,
            new OnnxModelRunner(OnnxRuntimeEngine.load(onnx))));
    try {
      app.start();
    } catch (Exception e) {
      throw new IllegalStateException("the test node did not start: " + e.getMessage(), e);
    }
    TestNode n = new TestNode(signingKey, app);
    nodes.put(signingKey.address(), n);
    return n;
  }

  /**
   * Registers {@code stakeKey}'s address as an inference node serving {@code demo@1}, with 2 ETH
   * (the registry lists the models a node serves; an empty list serves none).
   */
  void register(Secp256k1.KeyPair stakeKey, String endpoint, BigInteger price) {
    fund(stakeKey);
    try {
      deployment
          .nodeRegistry(sender(stakeKey))
          .register(
              BigInteger.ONE,
              endpoint,
              BigInteger.valueOf(VerificationLevel.VANILLA.bit()),
              price,
              List.of(demo.modelId().toArray()),
              ETH.multiply(BigInteger.TWO))
          .send();
    } catch (Exception e) {
      throw new IllegalStateException("registering " + stakeKey.address() + " failed", e);
    }
  }

  /** The hub's and the court's books opened at the chain's head now (checked after a test). */
  EscrowBooks books() {
    try {
      return EscrowBooks.open(anvil.web3j(), deployment, sender(key("books")));
    } catch (Exception e) {
      throw new IllegalStateException("reading the books failed: " + e.getMessage(), e);
    }
  }

  /** Takes a node out of the eligible set at once (what a test that registered one undoes). */
  void unbond(Secp256k1.KeyPair stakeKey) {
    try {
      deployment.nodeRegistry(sender(stakeKey)).requestUnbond().send();
    } catch (Exception e) {
      throw new IllegalStateException("unbonding " + stakeKey.address() + " failed", e);
    }
  }

  TestNode node(Address address) {
    TestNode n = nodes.get(address);
    if (n == null) {
      throw new IllegalArgumentException(address + " is not a test node");
    }
    return n;
  }

  static Tensor input(float seed) {
    float[] v = new float[8];
    for (int i = 0; i < v.length; i++) {
      v[i] = seed + i / 8f;
    }
    return Tensor.ofFloats(new int[] {1, 8}, v);
  }

  /** What the demo model computes, run here in ONNX Runtime: the expected output. */
  Tensor expectedOutput(Tensor input) {
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(onnx)) {
      return engine.run(input);
    }
  }

  void passTime(long seconds) {
    anvil.increaseTime(seconds);
    anvil.mine();
  }

  private void close() {
    nodes.values().forEach(n -> n.app().stop());
    hub.close();
    anvil.close();
  }
}
