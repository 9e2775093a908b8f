package io.vouch.onnx.quant;

import java.util.Arrays;

/**
 * An embedding lookup: row idx[p] of a constant int8 table of {@code vocabulary} rows of {@code
 * width} values, for every index p of an index input: y[p, :] = table[idx[p], :]. Its input is
 * public (token ids are the statement's), so is its output: the verifier computes it.
 */
public record GatherOp(
    int indices, int vocabulary, int width, byte[] table, TensorShape outputShape)
    implements IntegerOp {
  public GatherOp {
    if (vocabulary < 1 || width < 1 || table.length != (long) vocabulary * width) {
      throw new IllegalArgumentException(
          "an embedding table of " + vocabulary + " × " + width + " needs that many values");
    }
    if (outputShape.size() % width != 0) {
      throw new IllegalArgumentException("the output must hold whole rows of " + width);
    }
    table = table.clone();
  }

  @Override
  public int[] inputs() {
    return new int[] {indices};
  }

  @Override
  public byte[] table() {
    return table.clone();
  }

  /** The table without a copy; never modified. */
  public byte[] tableView() {
    return table;
  }

  @Override
  public Requantization requantization() {
    return null;
  }

  @Override
  public String kind() {
    return "Gather";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatherOp g
        && indices == g.indices
        && vocabulary == g.vocabulary
        && width == g.width
        && Arrays.equals(table, g.table)
        && outputShape.equals(g.outputShape);
  }

  @Override
  public int hashCode() {
    return 31 * indices + Arrays.hashCode(table);
  }
}
