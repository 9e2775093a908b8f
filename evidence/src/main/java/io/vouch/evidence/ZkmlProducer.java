package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkProver;
import java.util.List;
import java.util.Optional;

/**
 * ZKML: the integer reference engine (inside the prover) on the statement's input, proved and bound
 * to the request id. The input is every model input, by name as for VANILLA ({@link ModelInputs}):
 * a float tensor quantized with that input's quantization, an INT8 tensor taken as already
 * quantized, token ids (an integer tensor) 4 bytes each ({@link ZkStatement}); the output is the
 * int64 values of each model output, shape [1, n] (dequantize with the output's scale); the
 * receipt, signed with the node's staked key, has evidenceHash = keccak256 of the proof bytes,
 * which travel with the result. Available for models whose registered ZK model the node holds.
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

  /** The request's inputs make the statement's input (names, sizes, token ids in range). */
  @Override
  public void check(ServedModel model, NamedTensors inputs) {
    if (model.zk().isPresent()) {
      statementInput(model, model.zk().get(), ModelInputs.bind(model, inputs));
    }
  }

  @Override
  public Production produce(Bytes32 requestId, ServedModel model, NamedTensors inputs) {
    ZkModel zk =
        model
            .zk()
            .orElseThrow(() -> new IllegalStateException(unavailableFor(model).orElseThrow()));
    NamedTensors bound = ModelInputs.bind(model, inputs);
    byte[] x = statementInput(model, zk, bound);
    long t0 = System.nanoTime();
    ProvedInference proved = ZkProver.prove(zk, requestId.toArray(), x);
    byte[] proof = proved.proof().toBytes();
    long micros = (System.nanoTime() - t0) / 1_000;
    List<String> outputNames = model.outputNames();
    NamedTensors outputs =
        ZkStatement.outputs(
            zk, proved.logits(), outputNames.size() == 1 ? outputNames.getFirst() : "logits");
    SignedReceipt receipt =
        receipts.sign(
            requestId, model.modelId(), bound.hash(), outputs.hash(), level(), Keccak.hash(proof));
    return new Production(outputs, receipt, new Evidence.Proof(proof), micros);
  }

  private static byte[] statementInput(ServedModel model, ZkModel zk, NamedTensors bound) {
    try {
      return ZkStatement.input(zk, bound);
    } catch (IllegalArgumentException e) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "model " + model.ref() + " at " + VerificationLevel.ZKML + ": " + e.getMessage());
    }
  }
}
