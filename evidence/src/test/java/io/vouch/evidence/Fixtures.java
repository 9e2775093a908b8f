package io.vouch.evidence;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.DenseLayer;
import io.vouch.onnx.quant.InputQuantization;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.LayerOutput;
import io.vouch.tee.EnclaveSigner;
import io.vouch.tee.TeeEvidence;
import io.vouch.tee.dev.DevEnclave;
import io.vouch.tee.dev.DevRootAuthority;
import io.vouch.tee.policy.EnclaveManifest;
import io.vouch.zk.mlp.ZkModel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic stand-ins for what the evidence pairs meet in a node and in a client: the node's
 * receipts (a key, a fixed clock, a counter), a served model (a small float engine, and a seeded
 * integer MLP registered as a ZK model), a registry (registered nodes, enclave keys and their
 * documents) and a development enclave.
 */
final class Fixtures {
  private Fixtures() {}

  static final Instant BOOT = Instant.parse("2026-05-01T08:00:00Z");
  static final Instant DOC_TIME = BOOT.plusSeconds(90);
  static final long CHAIN_ID = 31_337;
  static final Address HUB = Address.fromHex("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0");
  static final Address REGISTRY = Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  static final Eip712Domain DOMAIN = Eip712Domain.of(CHAIN_ID, HUB);
  static final Secp256k1.KeyPair NODE = key("node");
  static final Secp256k1.KeyPair ENCLAVE_KEY = key("enclave");
  static final Bytes32 MODEL_ID = Keccak.hash("model@1");
  static final Bytes32 REQUEST = Keccak.hash("request 1");
  static final int IN = 8;

  static Secp256k1.KeyPair key(String name) {
    return Secp256k1.KeyPair.fromPrivateKey(Keccak.hash(name));
  }

  /** The node's receipts: dated a minute after the enclave's attestation, numbered from 1. */
  static final class Receipts implements NodeReceipts {
    private final Secp256k1.KeyPair key;
    private final AtomicLong sequence = new AtomicLong();

    Receipts(Secp256k1.KeyPair key) {
      this.key = key;
    }

    @Override
    public Eip712Domain domain() {
      return DOMAIN;
    }

    @Override
    public InferenceReceipt draft(
        Bytes32 requestId,
        Bytes32 modelId,
        Bytes32 inputHash,
        Bytes32 outputHash,
        VerificationLevel level,
        Bytes32 evidenceHash) {
      return new InferenceReceipt(
          requestId,
          modelId,
          inputHash,
          outputHash,
          level,
          evidenceHash,
          key.address(),
          DOC_TIME.getEpochSecond() + 60,
          sequence.incrementAndGet());
    }

    @Override
    public SignedReceipt sign(
        Bytes32 requestId,
        Bytes32 modelId,
        Bytes32 inputHash,
        Bytes32 outputHash,
        VerificationLevel level,
        Bytes32 evidenceHash) {
      InferenceReceipt r = draft(requestId, modelId, inputHash, outputHash, level, evidenceHash);
      return new SignedReceipt(r, r.sign(DOMAIN, key));
    }
  }

  /**
   * A model with one float input {@code x} [1, 8] and one output {@code y} = 2x, served at ZKML
   * when given a ZK model; counts how often its float engine ran.
   */
  static final class Doubler implements ServedModel {
    final AtomicInteger runs = new AtomicInteger();
    private final Optional<ZkModel> zk;
    private final List<String> inputNames;

    Doubler(Optional<ZkModel> zk) {
      this(zk, List.of("x"));
    }

    Doubler(Optional<ZkModel> zk, List<String> inputNames) {
      this.zk = zk;
      this.inputNames = inputNames;
    }

    @Override
    public Bytes32 modelId() {
      return MODEL_ID;
    }

    @Override
    public String ref() {
      return "doubler@1";
    }

    @Override
    public List<String> inputNames() {
      return inputNames;
    }

    @Override
    public List<String> outputNames() {
      return List.of("y");
    }

    @Override
    public void check(NamedTensors inputs) {
      for (Tensor t : inputs.asMap().values()) {
        if (t.elementCount() != IN) {
          throw new io.vouch.core.error.VouchException(
              io.vouch.core.error.ErrorCode.BAD_INPUT, "doubler takes " + IN + " values");
        }
      }
    }

    @Override
    public NamedTensors run(NamedTensors inputs) {
      check(inputs);
      runs.incrementAndGet();
      Tensor x = inputs.asMap().values().iterator().next();
      float[] y = new float[IN];
      for (int i = 0; i < IN; i++) {
        y[i] = (float) (2 * x.getAsDouble(i));
      }
      return NamedTensors.single("y", Tensor.ofFloats(new int[] {1, IN}, y));
    }

    @Override
    public Optional<ZkModel> zk() {
      return zk;
    }
  }

  static Tensor input() {
    float[] x = new float[IN];
    for (int i = 0; i < IN; i++) {
      x[i] = (i - 3) / 4f;
    }
    return Tensor.ofFloats(new int[] {1, IN}, x);
  }

  private static ZkModel zkModel;

  /** A seeded 8-8-3 integer MLP, registered once (registration commits to its weights). */
  static synchronized ZkModel zkModel() {
    if (zkModel == null) {
      SplittableRandom rnd = new SplittableRandom(11);
      List<DenseLayer> layers = new ArrayList<>();
      int[] widths = {IN, 8, 3};
      for (int l = 0; l + 1 < widths.length; l++) {
        int in = widths[l], out = widths[l + 1];
        byte[] w = new byte[out * in];
        rnd.nextBytes(w);
        int[] b = rnd.ints(out, -2000, 2000).toArray();
        LayerOutput o =
            l + 2 == widths.length
                ? new LayerOutput.Logits()
                : new LayerOutput.Requantized(
                    Math.max(1, (long) ((100.0 * (1L << 20)) / (Math.sqrt(in) * 4096))),
                    20,
                    Activation.RELU);
        layers.add(new DenseLayer(out, in, w, b, o));
      }
      zkModel =
          ZkModel.register(new IntegerModel(new InputQuantization(1.0 / 64, 0), layers, 1e-4));
    }
    return zkModel;
  }

  /**
   * The registry's view: registered nodes, the enclave keys active for each, the attestation
   * documents they registered, and whether the deployment allows development attestation.
   */
  static final class Registry implements NodeDirectory, EnclaveKeyDirectory {
    final Set<Address> nodes = new HashSet<>();
    final Map<Address, Set<Address>> activeKeys = new HashMap<>();
    final Map<Bytes32, byte[]> documents = new HashMap<>();
    boolean developmentAllowed = true;

    Registry register(Address node) {
      nodes.add(node);
      return this;
    }

    Registry enclaveKey(Address node, Address key, byte[] document) {
      activeKeys.computeIfAbsent(node, n -> new HashSet<>()).add(key);
      documents.put(Keccak.hash(document), document.clone());
      return this;
    }

    @Override
    public boolean isRegisteredNode(Address node) {
      return nodes.contains(node);
    }

    @Override
    public boolean isActiveEnclaveKey(Address node, Address enclaveKey) {
      return activeKeys.getOrDefault(node, Set.of()).contains(enclaveKey);
    }

    @Override
    public Optional<byte[]> attestationDocument(
        Address node, Address enclaveKey, Bytes32 documentHash) {
      return isActiveEnclaveKey(node, enclaveKey)
          ? Optional.ofNullable(documents.get(documentHash)).map(byte[]::clone)
          : Optional.empty();
    }

    @Override
    public Duration maxKeyAge() {
      return Duration.ofDays(1);
    }

    @Override
    public boolean developmentAttestationAllowed() {
      return developmentAllowed;
    }
  }

  /** A development enclave with a key attested at {@link #DOC_TIME}. */
  static final class Enclave {
    final DevRootAuthority authority;
    final EnclaveSigner signer;
    final TeeEvidence evidence;

    Enclave() {
      authority = DevRootAuthority.generate(BOOT);
      byte[] software = "vouch node 0.1.0".getBytes(StandardCharsets.UTF_8);
      DevEnclave enclave =
          authority.startEnclave(software, "config".getBytes(StandardCharsets.UTF_8), BOOT);
      EnclaveManifest manifest =
          new EnclaveManifest(
              sha384(software), List.of(MODEL_ID), CHAIN_ID, REGISTRY, NODE.address());
      signer = EnclaveSigner.withKey(enclave::attest, ENCLAVE_KEY);
      evidence = signer.attest(manifest, Keccak.hash("block 1234").toArray(), DOC_TIME);
    }

    TeeTrust trust() {
      return TeeTrust.attested().withDevelopmentRoot(authority.rootCertificate());
    }
  }

  static byte[] sha384(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claim a client holds after asking for {@code REQUEST} on {@code input()}. */
  static ResultClaim claim(Production p, VerificationLevel level) {
    return new ResultClaim(
        level,
        NamedTensors.lone(input()),
        p.outputs(),
        p.receipt(),
        DOMAIN,
        p.evidence().payload());
  }

  /** {@code receipt} with its signature's first byte flipped. */
  static SignedReceipt tamperedSignature(SignedReceipt receipt) {
    byte[] sig = receipt.signature().toArray();
    sig[10] ^= 0x01;
    return new SignedReceipt(receipt.receipt(), io.vouch.core.crypto.Signature.of(sig));
  }

  /** {@code receipt}'s fields, re-signed by {@code key} (which may not be the node it names). */
  static SignedReceipt resigned(InferenceReceipt receipt, Secp256k1.KeyPair key) {
    return new SignedReceipt(receipt, receipt.sign(DOMAIN, key));
  }
}
