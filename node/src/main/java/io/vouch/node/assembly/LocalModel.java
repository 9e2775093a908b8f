package io.vouch.node.assembly;

import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import java.nio.file.Path;

/**
 * An ONNX file on this machine that the node serves under a registry name and version (without
 * reading the registry: the operator vouches for the name).
 */
public record LocalModel(Path file, String name, int version) {
  public LocalModel {
    ModelId.of(name, version); // the same checks as the registry's id
  }

  public String ref() {
    return name + "@" + version;
  }

  public Bytes32 modelId() {
    return ModelId.of(name, version);
  }
}
