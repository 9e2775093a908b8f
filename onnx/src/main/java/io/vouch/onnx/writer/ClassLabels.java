package io.vouch.onnx.writer;

import ai.onnx.proto.OnnxMl;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.TensorSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A classifier's class names, written into an existing model's {@code metadata_props} as {@value
 * OnnxModelFile#LABELS_METADATA_KEY} (comma-separated, in output index order: what {@link
 * OnnxModelFile#classLabels()} reads). Kept inside the ONNX file on purpose: the file's content id
 * is what the ModelRegistry records, so the names a client shows are covered by the on-chain CID
 * like the weights. Everything else in the file stays as it was (protobuf re-serializes it; the
 * graph, weights and other metadata are unchanged).
 *
 * <p>The labels name the classes along the last axis of the outputs whose last dimension equals
 * their count: {@link #labelledOutputs}.
 */
public final class ClassLabels {
  private ClassLabels() {}

  /**
   * Reads a labels file's text: one name per line, blank lines and surrounding spaces ignored.
   *
   * @throws IllegalArgumentException a name with a comma (the metadata's separator), a name given
   *     twice, or no names at all
   */
  public static List<String> parse(String text) {
    List<String> labels = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String label = lines[i].strip();
      if (label.isEmpty()) {
        continue;
      }
      if (label.contains(",")) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + ": '" + label + "' holds a comma; a label may not contain one");
      }
      if (!seen.add(label)) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + ": '" + label + "' is given twice; each class needs its own name");
      }
      labels.add(label);
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("no labels: write one class name per line");
    }
    return List.copyOf(labels);
  }

  /**
   * The model's bytes with {@code labels} as its {@value OnnxModelFile#LABELS_METADATA_KEY} entry
   * (replacing one it had).
   *
   * @throws IllegalArgumentException when no output has a last dimension of {@code labels.size()}
   */
  public static byte[] write(OnnxModelFile model, List<String> labels) {
    if (labelledOutputs(model.outputs(), labels.size()).isEmpty()) {
      throw new IllegalArgumentException(
          labels.size()
              + " labels, but no output of the model has "
              + labels.size()
              + " classes along its last axis: "
              + model.outputs().stream().map(TensorSpec::toString).collect(Collectors.joining(", "))
              + "; give one label per class");
    }
    OnnxMl.ModelProto.Builder proto = model.proto().toBuilder().clearMetadataProps();
    for (OnnxMl.StringStringEntryProto e : model.proto().getMetadataPropsList()) {
      if (!e.getKey().equals(OnnxModelFile.LABELS_METADATA_KEY)) {
        proto.addMetadataProps(e);
      }
    }
    proto.addMetadataProps(
        OnnxMl.StringStringEntryProto.newBuilder()
            .setKey(OnnxModelFile.LABELS_METADATA_KEY)
            .setValue(String.join(",", labels)));
    return proto.build().toByteArray();
  }

  /** The names of the outputs whose fixed last dimension is {@code count}: the ones labelled. */
  public static List<String> labelledOutputs(List<TensorSpec> outputs, int count) {
    return outputs.stream()
        .filter(o -> o.rank() > 0 && o.shape()[o.rank() - 1] == count)
        .map(TensorSpec::name)
        .toList();
  }
}
