package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import java.util.Optional;

/**
 * VANILLA: the float engine runs the model and the node signs the receipt with its staked key
 * (evidenceHash zero). Every node can produce it for every model it serves.
 */
public final class VanillaProducer implements EvidenceProducer {
  private final NodeReceipts receipts;

  public VanillaProducer(NodeReceipts receipts) {
    this.receipts = receipts;
  }

  @Override
  public VerificationLevel level() {
    return VerificationLevel.VANILLA;
  }

  @Override
  public Optional<String> unavailableFor(ServedModel model) {
    return Optional.empty();
  }

  @Override
  public void check(ServedModel model, NamedTensors inputs) {
    model.check(ModelInputs.bind(model, inputs));
  }

  @Override
  public Production produce(Bytes32 requestId, ServedModel model, NamedTensors inputs) {
    NamedTensors bound = ModelInputs.bind(model, inputs);
    long t0 = System.nanoTime();
    NamedTensors outputs = model.run(bound);
    long micros = (System.nanoTime() - t0) / 1_000;
    SignedReceipt receipt =
        receipts.sign(
            requestId, model.modelId(), bound.hash(), outputs.hash(), level(), Bytes32.ZERO);
    return new Production(outputs, receipt, new Evidence.NodeSignature(), micros);
  }
}
