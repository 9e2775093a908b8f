package io.vouch.zk.mlp;

import io.vouch.onnx.quant.Activation;
import io.vouch.onnx.quant.LayerOutput;
import io.vouch.zk.lookup.LookupTable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Where each witness vector sits in the stacked witness matrix, and which lookups run over it.
 *
 * <p>Per hidden layer (all padded to the common power-of-two width M), rows: a (int8 output), h and
 * t (q − lo = 256·h + t), σ = sign(h), and the 10-bit limbs e_0..e_{E−1} of the requantization
 * remainder (E = ⌈s/10⌉). The accumulators z are not committed: the requantization identity ε·z +
 * 2^(s−1) = 2^s·q + e defines z̃ = ε^(−1)·(2^s·q̃ + ẽ − 2^(s−1)) from the other rows, and that is
 * what the layer's matrix–vector claim is checked against. Lookups ("slots"), each over all M
 * entries of its rows: the lower limbs in RANGE_10, the top limb in RANGE_(s − 10(E − 1)) (so e
 * &lt; 2^s exactly); (h, σ) in SIGN; (σ, t, a − lo) in the activation's clamp table.
 */
final class WitnessLayout {
  static final int A = 0, H = 1, T = 2, SIGMA = 3, LIMBS = 4;

  record Slot(LookupTable table, int[] rows, long[] offsets) {}

  final int width;
  final int logWidth;
  final int[] firstRow; // per hidden layer
  final int[] limbCount;
  final int rowCount;
  final List<Slot> slots;
  final List<LookupTable> tables;
  final int slotVariables;

  private WitnessLayout(VerifyingKey key) {
    width = key.hiddenWidth();
    logWidth = Integer.numberOfTrailingZeros(width);
    int hidden = key.layers().size() - 1;
    firstRow = new int[hidden];
    limbCount = new int[hidden];
    slots = new ArrayList<>();
    EnumSet<LookupTable> used = EnumSet.noneOf(LookupTable.class);
    int row = 0;
    for (int l = 0; l < hidden; l++) {
      var rq = (LayerOutput.Requantized) key.layers().get(l).output();
      firstRow[l] = row;
      int limbBits = LookupTable.LIMB_BITS;
      int limbs = (rq.shift() + limbBits - 1) / limbBits;
      limbCount[l] = limbs;
      for (int c = 0; c < limbs; c++) {
        int bits = c < limbs - 1 ? limbBits : rq.shift() - limbBits * (limbs - 1);
        LookupTable range = LookupTable.range(bits);
        slots.add(new Slot(range, new int[] {row + LIMBS + c}, new long[] {0}));
        used.add(range);
      }
      slots.add(new Slot(LookupTable.SIGN, new int[] {row + H, row + SIGMA}, new long[] {0, 0}));
      LookupTable clamp =
          rq.activation() == Activation.RELU ? LookupTable.RELU_CLAMP : LookupTable.INT8_CLAMP;
      slots.add(
          new Slot(
              clamp,
              new int[] {row + SIGMA, row + T, row + A},
              new long[] {0, 0, -rq.activation().low()}));
      used.add(LookupTable.SIGN);
      used.add(clamp);
      row += LIMBS + limbs;
    }
    rowCount = row;
    tables = List.copyOf(used);
    int paddedSlots = 1;
    while (paddedSlots < slots.size()) {
      paddedSlots <<= 1;
    }
    slotVariables = Integer.numberOfTrailingZeros(paddedSlots);
  }

  static WitnessLayout of(VerifyingKey key) {
    return new WitnessLayout(key);
  }

  int row(int layer, int kind) {
    return firstRow[layer] + kind;
  }

  int paddedSlots() {
    return 1 << slotVariables;
  }

  int tableIndex(LookupTable table) {
    return tables.indexOf(table);
  }
}
