package io.vouch.zk.mlp;

import io.vouch.core.Bytes32;
import io.vouch.onnx.quant.InputQuantization;
import io.vouch.onnx.quant.LayerOutput;
import io.vouch.zk.commit.Ligero;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Everything a verifier needs about a registered model, and nothing secret: layer shapes,
 * requantization constants, biases, weight commitment roots, and the hidden width of the witness
 * commitment.
 *
 * <p>The {@link #modelId()} is SHA-256 over a canonical encoding of all of it plus the field and
 * commitment parameters (p, the extension's non-residue, Ligero rate and query counts) and the
 * operator graph (a chain of dense layers). A proof is bound to this id, so a verifier holding the
 * id from the chain knows which model — weights included — the proof is about.
 */
public record VerifyingKey(
    InputQuantization input, double logitScale, int hiddenWidth, List<LayerKey> layers) {
  static final String MODEL_ID_DOMAIN = "vouch/zkml/model/v1";

  public VerifyingKey {
    layers = List.copyOf(layers);
    if (Integer.bitCount(hiddenWidth) != 1) {
      throw new IllegalArgumentException("hidden width must be a power of two, got " + hiddenWidth);
    }
  }

  public int inputSize() {
    return layers.get(0).inputs();
  }

  public int outputSize() {
    return layers.get(layers.size() - 1).outputs();
  }

  public Bytes32 modelId() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-256", e);
    }
    sha.update(MODEL_ID_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(Goldilocks.P).putLong(GoldilocksExt2.NONRESIDUE);
    b.putInt(Ligero.BLOWUP).putInt(Ligero.QUERIES_REGISTERED).putInt(Ligero.QUERIES_PROXIMITY);
    b.putInt(Ligero.MIN_LEAF_BYTES);
    b.putInt(ZkProof.VERSION);
    b.putDouble(input.scale()).putInt(input.zeroPoint()).putDouble(logitScale);
    b.putInt(hiddenWidth).putInt(layers.size());
    sha.update(b.array(), 0, b.position());
    sha.update("graph:dense-chain".getBytes(StandardCharsets.US_ASCII));
    for (LayerKey layer : layers) {
      ByteBuffer l = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      l.putInt(layer.outputs()).putInt(layer.inputs());
      l.putInt(layer.paddedOutputs()).putInt(layer.paddedInputs());
      if (layer.output() instanceof LayerOutput.Requantized rq) {
        l.put((byte) 1).putLong(rq.multiplier()).putInt(rq.shift());
        l.putInt(rq.activation().low()).putInt(rq.activation().high());
      } else {
        l.put((byte) 0);
      }
      sha.update(l.array(), 0, l.position());
      ByteBuffer bias = ByteBuffer.allocate(4 * layer.outputs()).order(ByteOrder.LITTLE_ENDIAN);
      for (int v : layer.bias()) {
        bias.putInt(v);
      }
      sha.update(bias.array());
      sha.update(layer.weightRoot());
    }
    return Bytes32.wrap(sha.digest());
  }
}
