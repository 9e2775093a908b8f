package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.Tensor;

/**
 * Runs a request on a loaded model and signs a receipt over input and output. Checks that do not
 * need the model's schema (level served, size, finiteness) happen here, before the runner sees the
 * input; the runner checks dtype and shape.
 */
public final class InferenceExecutor {
  private final ModelCatalog catalog;
  private final ReceiptSigner signer;
  private final long maxInputElements;

  public InferenceExecutor(ModelCatalog catalog, ReceiptSigner signer, long maxInputElements) {
    this.catalog = catalog;
    this.signer = signer;
    this.maxInputElements = maxInputElements;
  }

  public InferenceResult execute(InferenceRequest request) {
    LoadedModel model = catalog.resolve(request.model());
    VerificationLevel level = request.level();
    if (level != VerificationLevel.VANILLA) {
      throw new VouchException(
          ErrorCode.UNSUPPORTED_LEVEL,
          "this node serves "
              + model.ref()
              + " at VANILLA only; "
              + level
              + " results are not available from it yet");
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
    var receipt =
        signer.sign(
            request.requestId(), model.modelId(), input.hash(), output.hash(), level, Bytes32.ZERO);
    return new InferenceResult(model, output, receipt, micros);
  }

  public ReceiptSigner signer() {
    return signer;
  }

  public ModelCatalog catalog() {
    return catalog;
  }
}
