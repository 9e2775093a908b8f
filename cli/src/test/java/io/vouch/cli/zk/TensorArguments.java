package io.vouch.cli.zk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Inputs written as a user writes them for {@code vouch infer} and {@code vouch zk}: tensor JSON
 * {@code {"dtype":…,"shape":[…],"data":[…]}}, and calibration files as arrays of them.
 */
final class TensorArguments {
  private TensorArguments() {}

  /** One tensor of {@code shape} (a dynamic −1 axis becomes 1) holding {@code values}. */
  static String tensor(String dtype, int[] shape, float[] values) {
    boolean integral = dtype.startsWith("int");
    String data =
        IntStream.range(0, values.length)
            .mapToObj(i -> integral ? Long.toString((long) values[i]) : Float.toString(values[i]))
            .collect(Collectors.joining(","));
    String dims =
        Arrays.stream(shape)
            .map(d -> d < 0 ? 1 : d)
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(","));
    return "{\"dtype\":\"" + dtype + "\",\"shape\":[" + dims + "],\"data\":[" + data + "]}";
  }

  /** A calibration file's text: one tensor per row. */
  static String calibration(String dtype, int[] shape, float[][] rows) {
    List<String> out = new ArrayList<>();
    for (float[] row : rows) {
      out.add(tensor(dtype, shape, row));
    }
    return "[" + String.join(",", out) + "]";
  }
}
