package io.vouch.node.inference;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A devnet's faulty node: for a seeded share of requests it claims a wrong output, still signed
 * with its staked key, so that the network's verification has a liar to catch. Which requests: the
 * first eight bytes of keccak256 of the request id, read as a fraction of 2^64, below {@link
 * #share()} (the same request is lied on at every attempt). The lie moves the argmax of the first
 * output: the element after it (cyclically) becomes one more than the largest (int64 and float64
 * outputs keep their type, others come back as float32). Only the devnet turns it on ({@code
 * io.vouch.node.assembly.DevnetFault}).
 *
 * @param share the fraction of requests lied on, in (0, 1]
 */
public record FaultyOutputs(double share) {
  public FaultyOutputs {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("the faulty share must be in (0, 1], got " + share);
    }
  }

  /** Whether the node lies on request {@code requestId}. */
  public boolean liesOn(Bytes32 requestId) {
    if (share >= 1) {
      return true;
    }
    byte[] h = Keccak.hash(requestId.toArray()).toArray();
    long draw = 0;
    for (int i = 0; i < 8; i++) {
      draw = (draw << 8) | (h[i] & 0xFF);
    }
    // unsigned draw / 2^64 < share
    double fraction = ((draw >>> 11) * 0x1.0p-53);
    return fraction < share;
  }

  /** {@code outputs} with the first output's argmax moved to the next element. */
  public NamedTensors falsify(NamedTensors outputs) {
    Map<String, Tensor> out = new LinkedHashMap<>(outputs.asMap());
    var first = out.entrySet().iterator().next();
    first.setValue(moveArgmax(first.getValue()));
    return NamedTensors.of(out);
  }

  private static Tensor moveArgmax(Tensor t) {
    int n = Math.toIntExact(t.elementCount());
    int best = t.argmax();
    int other = n == 1 ? 0 : (best + 1) % n;
    if (t.dtype() == DType.INT64) {
      long[] v = t.toLongs();
      v[other] = v[best] + 1;
      return Tensor.ofLongs(t.shape(), v);
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = t.getAsDouble(i);
    }
    v[other] = v[best] + Math.max(1, Math.abs(v[best]));
    if (t.dtype() == DType.FLOAT64) {
      return Tensor.ofDoubles(t.shape(), v);
    }
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) v[i];
    }
    return Tensor.ofFloats(t.shape(), f);
  }
}
