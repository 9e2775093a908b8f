package io.vouch.zk.mlp;

import io.vouch.core.Bytes32;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.zk.commit.Ligero;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a verifier needs about a registered model: the integer graph (ops, shapes, wiring,
 * requantization constants, biases and other public constants) and the Ligero root of every weight
 * matrix. Verification reads the weight matrices only through their roots.
 *
 * <p>The {@link #modelId()} is SHA-256 over the field and commitment parameters (p, the extension's
 * non-residue, the Ligero rates and query counts of weights and witness, the witness leaf size),
 * the proof format version, the witness width, and the model in {@link GraphEncoding}'s canonical
 * form with every weight matrix replaced by its root: the whole circuit — operators, shapes,
 * wiring, constants — and the weights. A proof's transcript starts with this id, so a proof is
 * bound to exactly one circuit.
 */
public final class VerifyingKey {
  static final String MODEL_ID_DOMAIN = "vouch/zkml/model/v2";

  private final IntegerModel model;
  private final List<byte[]> weightRoots;
  private final WitnessPlan plan;
  private final Bytes32 modelId;
  private volatile PreparedKey prepared;

  VerifyingKey(IntegerModel model, List<byte[]> weightRoots, WitnessPlan plan) {
    this.model = model;
    List<byte[]> roots = new ArrayList<>();
    for (byte[] r : weightRoots) {
      roots.add(r.clone());
    }
    this.weightRoots = List.copyOf(roots);
    this.plan = plan;
    this.modelId = computeId();
  }

  /** The integer model (its weights are not used by verification: only their roots). */
  public IntegerModel model() {
    return model;
  }

  /** The root of every weight matrix, in op order (Dense and Conv ops). */
  public List<byte[]> weightRoots() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] r : weightRoots) {
      out.add(r.clone());
    }
    return out;
  }

  WitnessPlan plan() {
    return plan;
  }

  /**
   * The verifier's prepared key (see {@link PreparedKey}): computed from this key's model and plan
   * alone on the first verification, then reused by every verification under this key.
   */
  PreparedKey prepared() {
    PreparedKey p = prepared;
    if (p == null) {
      synchronized (this) {
        p = prepared;
        if (p == null) {
          p = new PreparedKey(model, plan);
          prepared = p;
        }
      }
    }
    return p;
  }

  /** Values the statement's input holds (all model inputs, concatenated). */
  public int inputSize() {
    return model.inputSize();
  }

  /** Bytes of the statement's input: one per int8 value, four per index (token id). */
  public int inputBytes() {
    return model.inputBytes();
  }

  /** int64 values the statement's output holds (all model outputs, concatenated). */
  public int outputSize() {
    return model.outputSize();
  }

  /** The witness matrix's width (a power of two). */
  public int witnessWidth() {
    return plan.width;
  }

  public Bytes32 modelId() {
    return modelId;
  }

  private Bytes32 computeId() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-256", e);
    }
    try (DataOutputStream out =
        new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
      out.write(MODEL_ID_DOMAIN.getBytes(StandardCharsets.US_ASCII));
      out.writeLong(Goldilocks.P);
      out.writeLong(GoldilocksExt2.NONRESIDUE);
      out.writeInt(Ligero.BLOWUP);
      out.writeInt(Ligero.QUERIES_REGISTERED);
      out.writeInt(Ligero.WITNESS_BLOWUP);
      out.writeInt(Ligero.QUERIES_WITNESS);
      out.writeInt(Ligero.MIN_LEAF_BYTES);
      out.writeInt(ZkProof.VERSION);
      out.writeInt(plan.width);
      out.writeInt(plan.rowCount);
      out.write("graph".getBytes(StandardCharsets.US_ASCII));
      GraphEncoding.write(out, model, weightRoots);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a digest stream cannot fail
    }
    return Bytes32.wrap(sha.digest());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyingKey k && k.modelId.equals(modelId);
  }

  @Override
  public int hashCode() {
    return modelId.hashCode();
  }

  @Override
  public String toString() {
    return "VerifyingKey[" + modelId + ", " + model.ops().size() + " ops]";
  }
}
