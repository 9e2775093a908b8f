package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import java.util.List;
import java.util.Optional;

/**
 * ZKML: the integer reference engine (inside the prover) on the int8 input, proved and bound to the
 * request id. The input is a float tensor quantized with the ZK model's input quantization, or an
 * INT8 tensor taken as already quantized; the output is the int64 logits, shape [1, n] (dequantize
 * with the model's logit scale); the receipt, signed with the node's staked key, has evidenceHash =
 * keccak256 of the proof bytes, which travel with the result. Available for models whose registered
 * ZK model the node holds.
 */
public final class ZkmlProducer implements EvidenceProducer {
  private final NodeReceipts receipts;

  public ZkmlProducer(NodeReceipts receipts) {
    this.receipts = receipts;
  }

  @Override
  public VerificationLevel level() {
    return VerificationLevel.ZKML;
  }

  @Override
  public Optional<String> unavailableFor(ServedModel model) {
    if (model.zk().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        "this node has no ZK model for "
            + model.ref()
            + " (the model is not ZK-enabled, or its ZK model file was missing or did not match"
            + " the registry's zkModelId); ask another node for "
            + level());
  }

  /** Nothing beyond the request's admission: the input is checked when it is quantized. */
  @Override
  public void check(ServedModel model, NamedTensors inputs) {}

  @Override
  public Production produce(Bytes32 requestId, ServedModel model, NamedTensors inputs) {
    ZkModel zk =
        model
            .zk()
            .orElseThrow(() -> new IllegalStateException(unavailableFor(model).orElseThrow()));
    Tensor input = single(model, inputs);
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
    ProvedInference proved = ZkProver.prove(zk, requestId.toArray(), x);
    byte[] proof = proved.proof().toBytes();
    long micros = (System.nanoTime() - t0) / 1_000;
    long[] logits = proved.logits();
    Tensor output = Tensor.ofLongs(new int[] {1, logits.length}, logits);
    List<String> outputNames = model.outputNames();
    String outputName = outputNames.size() == 1 ? outputNames.getFirst() : "logits";
    SignedReceipt receipt =
        receipts.sign(
            requestId, model.modelId(), input.hash(), output.hash(), level(), Keccak.hash(proof));
    return new Production(
        NamedTensors.single(outputName, output), receipt, new Evidence.Proof(proof), micros);
  }

  /** The ZKML level proves a one-input model: its input tensor. */
  private static Tensor single(ServedModel model, NamedTensors inputs) {
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

  private static byte[] checkedInt8(ZkModel zk, byte[] x) {
    if (x.length != zk.inputSize()) {
      throw new IllegalArgumentException(
          "input has " + x.length + " values; the ZK model takes " + zk.inputSize());
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
}
