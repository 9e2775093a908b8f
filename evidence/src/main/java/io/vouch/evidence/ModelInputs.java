package io.vouch.evidence;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import java.util.HashSet;
import java.util.List;

/** A request's inputs matched to the model's own input names. */
final class ModelInputs {
  private ModelInputs() {}

  /**
   * The request's inputs under the model's own names: a lone tensor becomes the input of a model
   * that takes one; a model that takes several gets each by its name, all of them and no other.
   */
  static NamedTensors bind(ServedModel model, NamedTensors inputs) {
    List<String> names = model.inputNames();
    if (names.size() == 1 && inputs.size() == 1) {
      String given = inputs.names().getFirst();
      return given.equals(names.getFirst())
          ? inputs
          : NamedTensors.single(names.getFirst(), inputs.only());
    }
    if (!new HashSet<>(names).equals(new HashSet<>(inputs.names()))) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "model "
              + model.ref()
              + " takes "
              + names.size()
              + (names.size() == 1 ? " input " : " inputs ")
              + names
              + (inputs.names().equals(List.of(NamedTensors.LONE))
                  ? "; send each by name: a JSON object {\"<name>\": <tensor>, ...} as \"inputs\","
                      + " or their bundle encoding as the binary body (see /openapi.json)"
                  : " but the request names " + inputs.names()));
    }
    return inputs;
  }
}
