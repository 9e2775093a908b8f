package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.tee.EnclaveSigner;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Runs a request on a loaded model and signs a receipt over input and output. Checks that do not
 * need the model's schema (level served, size, finiteness) happen here, before the runner sees the
 * input; the runner checks dtype and shape.
 */
public final class InferenceExecutor {
  private final ModelCatalog catalog;
  private final ReceiptSigner signer;
  private final long maxInputElements;
  private final ProofStore proofs;
  private volatile EnclaveSigner enclave;

  public InferenceExecutor(ModelCatalog catalog, ReceiptSigner signer, long maxInputElements) {
    this(catalog, signer, maxInputElements, ProofStore.inMemory());
  }

  public InferenceExecutor(
      ModelCatalog catalog, ReceiptSigner signer, long maxInputElements, ProofStore proofs) {
    this.catalog = catalog;
    this.signer = signer;
    this.maxInputElements = maxInputElements;
    this.proofs = proofs;
  }

  /** The ZKML proofs this node produced, served at {@code GET /v1/proofs/{hash}}. */
  public ProofStore proofs() {
    return proofs;
  }

  /**
   * Everything {@link #execute} checks before running, without running: the model, the level, the
   * input's size, finiteness and fit to the model's schema. The direct path calls it before it
   * looks at payment, so that a request that cannot run costs the client no voucher.
   */
  public LoadedModel check(InferenceRequest request) {
    LoadedModel model = admissible(request);
    if (request.level() != VerificationLevel.ZKML) {
      model.runner().check(bind(model, request.inputs()));
    }
    return model;
  }

  public InferenceResult execute(InferenceRequest request) {
    LoadedModel model = admissible(request);
    VerificationLevel level = request.level();
    EnclaveSigner tee = enclave;
    if (level == VerificationLevel.ZKML) {
      return executeZk(request, model, zkInput(model, request.inputs()));
    }
    NamedTensors inputs = bind(model, request.inputs());
    long t0 = System.nanoTime();
    NamedTensors outputs = model.runner().run(inputs);
    long micros = (System.nanoTime() - t0) / 1_000;
    SignedReceipt receipt =
        level == VerificationLevel.TEE
            ? tee.sign(
                signer.domain(),
                signer.draft(
                    request.requestId(),
                    model.modelId(),
                    inputs.hash(),
                    outputs.hash(),
                    level,
                    Bytes32.ZERO))
            : signer.sign(
                request.requestId(),
                model.modelId(),
                inputs.hash(),
                outputs.hash(),
                level,
                Bytes32.ZERO);
    return new InferenceResult(model, outputs, receipt, micros);
  }

  /**
   * The request's inputs under the model's own names: a lone tensor becomes the input of a model
   * that takes one; a model that takes several gets each by its name, all of them and no other.
   */
  static NamedTensors bind(LoadedModel model, NamedTensors inputs) {
    List<String> names = model.runner().inputNames();
    if (names.size() == 1 && inputs.size() == 1) {
      String given = inputs.names().getFirst();
      return given.equals(names.getFirst())
          ? inputs
          : NamedTensors.single(names.getFirst(), inputs.only());
    }
    if (!new HashSet<>(names).equals(new HashSet<>(inputs.names()))) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "model "
              + model.ref()
              + " takes "
              + names.size()
              + (names.size() == 1 ? " input " : " inputs ")
              + names
              + (inputs.names().equals(List.of(InferenceRequest.SOLE))
                  ? "; send each by name: a JSON object {\"<name>\": <tensor>, ...} as \"inputs\","
                      + " or their bundle encoding as the binary body (see /openapi.json)"
                  : " but the request names " + inputs.names()));
    }
    return inputs;
  }

  /** The ZKML level proves a one-input model: its input tensor. */
  private static Tensor zkInput(LoadedModel model, NamedTensors inputs) {
    if (inputs.size() != 1) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "model "
              + model.ref()
              + " is proved at ZKML with one input tensor; the request names "
              + inputs.names());
    }
    return inputs.only();
  }

  /** The model, level, size and finiteness checks of a request; the model it names. */
  private LoadedModel admissible(InferenceRequest request) {
    LoadedModel model = catalog.resolve(request.model());
    VerificationLevel level = request.level();
    EnclaveSigner tee = enclave;
    boolean servable =
        level == VerificationLevel.VANILLA
            || (level == VerificationLevel.TEE && tee != null)
            || (level == VerificationLevel.ZKML && model.zk().isPresent());
    if (!servable && level == VerificationLevel.ZKML) {
      throw new VouchException(
          ErrorCode.UNSUPPORTED_LEVEL,
          "this node has no ZK model for "
              + model.ref()
              + " (the model is not ZK-enabled, or its ZK model file was missing or did not match"
              + " the registry's zkModelId); ask another node for ZKML");
    }
    if (!servable) {
      throw new VouchException(
          ErrorCode.UNSUPPORTED_LEVEL,
          "this node serves "
              + model.ref()
              + " at "
              + (tee != null ? "VANILLA and TEE" : "VANILLA")
              + " only; ask another node for "
              + level
              + (level == VerificationLevel.TEE ? " (this node runs without an enclave)" : ""));
    }
    if (!model.levels().contains(level)) {
      throw new VouchException(
          ErrorCode.UNSUPPORTED_LEVEL,
          "model " + model.ref() + " allows levels " + model.levels() + ", not " + level);
    }
    NamedTensors inputs = request.inputs();
    if (inputs.elementCount() > maxInputElements) {
      throw new VouchException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "input has "
              + inputs.elementCount()
              + " elements; this node accepts at most "
              + maxInputElements);
    }
    for (var e : inputs.asMap().entrySet()) {
      Tensor input = e.getValue();
      int bad = input.firstNonFinite();
      if (bad >= 0) {
        throw new VouchException(
            ErrorCode.BAD_INPUT,
            (inputs.size() == 1 ? "input" : "input '" + e.getKey() + "'")
                + " element "
                + bad
                + " is "
                + input.getAsDouble(bad)
                + "; inputs must be finite");
      }
    }
    return model;
  }

  /**
   * ZKML: the integer reference engine (inside the prover) on the int8 input, proved and bound to
   * the request id. The input is a float tensor quantized with the ZK model's input quantization,
   * or an INT8 tensor taken as already quantized; the output is the int64 logits, shape [1, n]
   * (dequantize with the model's logit scale); the receipt's evidenceHash is keccak256 of the proof
   * bytes, which travel with the result.
   */
  private InferenceResult executeZk(InferenceRequest request, LoadedModel model, Tensor input) {
    ZkModel zk = model.zk().orElseThrow();
    byte[] x;
    try {
      x =
          input.dtype() == DType.INT8
              ? checkedInt8(zk, input.toInt8())
              : zk.quantizeInput(toFloats(input));
    } catch (IllegalArgumentException e) {
      throw new VouchException(ErrorCode.BAD_INPUT, e.getMessage());
    }
    long t0 = System.nanoTime();
    ProvedInference proved = ZkProver.prove(zk, request.requestId().toArray(), x);
    byte[] proof = proved.proof().toBytes();
    long micros = (System.nanoTime() - t0) / 1_000;
    long[] logits = proved.logits();
    Tensor output = Tensor.ofLongs(new int[] {1, logits.length}, logits);
    List<String> outputNames = model.runner().outputNames();
    String outputName = outputNames.size() == 1 ? outputNames.getFirst() : "logits";
    SignedReceipt receipt =
        signer.sign(
            request.requestId(),
            model.modelId(),
            input.hash(),
            output.hash(),
            VerificationLevel.ZKML,
            proofs.put(proof));
    return new InferenceResult(
        model, NamedTensors.single(outputName, output), receipt, micros, Optional.of(proof));
  }

  private static byte[] checkedInt8(ZkModel zk, byte[] x) {
    if (x.length != zk.integerModel().inputSize()) {
      throw new IllegalArgumentException(
          "input has " + x.length + " values; the ZK model takes " + zk.integerModel().inputSize());
    }
    return x;
  }

  private static float[] toFloats(Tensor input) {
    float[] f = new float[Math.toIntExact(input.elementCount())];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) input.getAsDouble(i);
    }
    return f;
  }

  /**
   * Gives this executor an enclave: from now on it serves TEE requests for models that allow TEE,
   * signed with the enclave key (level TEE, evidenceHash = its attestation document's hash).
   */
  public void enclave(EnclaveSigner enclaveSigner) {
    this.enclave = enclaveSigner;
  }

  /** The enclave signer, when this node serves the TEE level. */
  public Optional<EnclaveSigner> enclave() {
    return Optional.ofNullable(enclave);
  }

  public ReceiptSigner signer() {
    return signer;
  }

  /** The most input elements one request may carry, over all its inputs. */
  public long maxInputElements() {
    return maxInputElements;
  }

  public ModelCatalog catalog() {
    return catalog;
  }
}
