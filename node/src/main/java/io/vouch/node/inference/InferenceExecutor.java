package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.SignedReceipt;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.Tensor;
import io.vouch.tee.EnclaveSigner;
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
  private volatile EnclaveSigner enclave;

  public InferenceExecutor(ModelCatalog catalog, ReceiptSigner signer, long maxInputElements) {
    this.catalog = catalog;
    this.signer = signer;
    this.maxInputElements = maxInputElements;
  }

  public InferenceResult execute(InferenceRequest request) {
    LoadedModel model = catalog.resolve(request.model());
    VerificationLevel level = request.level();
    EnclaveSigner tee = enclave;
    boolean servable =
        level == VerificationLevel.VANILLA || (level == VerificationLevel.TEE && tee != null);
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
    Tensor input = request.input();
    if (input.elementCount() > maxInputElements) {
      throw new VouchException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "input has "
              + input.elementCount()
              + " elements; this node accepts at most "
              + maxInputElements);
    }
    int bad = input.firstNonFinite();
    if (bad >= 0) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "input element " + bad + " is " + input.getAsDouble(bad) + "; inputs must be finite");
    }
    long t0 = System.nanoTime();
    Tensor output = model.runner().run(input);
    long micros = (System.nanoTime() - t0) / 1_000;
    SignedReceipt receipt =
        level == VerificationLevel.TEE
            ? tee.sign(
                signer.domain(),
                signer.draft(
                    request.requestId(),
                    model.modelId(),
                    input.hash(),
                    output.hash(),
                    level,
                    Bytes32.ZERO))
            : signer.sign(
                request.requestId(),
                model.modelId(),
                input.hash(),
                output.hash(),
                level,
                Bytes32.ZERO);
    return new InferenceResult(model, output, receipt, micros);
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

  public ModelCatalog catalog() {
    return catalog;
  }
}
