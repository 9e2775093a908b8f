package io.vouch.evidence;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.tee.EnclaveSigner;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * TEE: the float engine runs the model and the enclave key signs the node's receipt draft (level
 * TEE, evidenceHash = keccak256 of the attestation document that binds the key). Available once the
 * node has an enclave whose key is registered.
 */
public final class TeeProducer implements EvidenceProducer {
  private final NodeReceipts receipts;
  private final Supplier<Optional<EnclaveSigner>> enclave;

  /**
   * @param enclave the node's enclave signer, once it has one (read at every request: a node gets
   *     its enclave after its key is registered, while it already serves)
   */
  public TeeProducer(NodeReceipts receipts, Supplier<Optional<EnclaveSigner>> enclave) {
    this.receipts = receipts;
    this.enclave = enclave;
  }

  @Override
  public VerificationLevel level() {
    return VerificationLevel.TEE;
  }

  @Override
  public Optional<String> unavailableFor(ServedModel model) {
    if (enclave.get().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        "this node serves "
            + model.ref()
            + " at VANILLA only; ask another node for "
            + level()
            + " (this node runs without an enclave)");
  }

  @Override
  public void check(ServedModel model, NamedTensors inputs) {
    model.check(ModelInputs.bind(model, inputs));
  }

  @Override
  public Production produce(Bytes32 requestId, ServedModel model, NamedTensors inputs) {
    EnclaveSigner signer =
        enclave
            .get()
            .orElseThrow(
                () -> new IllegalStateException(unavailableFor(model).orElse("no enclave")));
    NamedTensors bound = ModelInputs.bind(model, inputs);
    long t0 = System.nanoTime();
    NamedTensors outputs = model.run(bound);
    long micros = (System.nanoTime() - t0) / 1_000;
    SignedReceipt receipt =
        signer.sign(
            receipts.domain(),
            receipts.draft(
                requestId, model.modelId(), bound.hash(), outputs.hash(), level(), Bytes32.ZERO));
    return new Production(
        outputs, receipt, new Evidence.EnclaveSignature(receipt.receipt().evidenceHash()), micros);
  }
}
