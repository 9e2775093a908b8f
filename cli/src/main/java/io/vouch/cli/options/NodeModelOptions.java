package io.vouch.cli.options;

import io.vouch.core.ModelId;
import io.vouch.node.assembly.LocalModel;
import io.vouch.node.assembly.ModelConfig;
import io.vouch.node.chain.ModelProvisioner;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/**
 * What {@code vouch node run} serves: local ONNX files ({@code --model FILE=NAME@VERSION}), the
 * registry's models fetched from {@code --model-hub} (on chain), and the price per request.
 */
public final class NodeModelOptions {
  @Option(
      names = "--model",
      split = ",",
      paramLabel = "FILE=NAME@VERSION",
      description = "A local ONNX model to serve, with the registry name and version it has.")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--model-hub",
      split = ",",
      description = "Model hub URL(s) to fetch models from.")
  List<URI> modelHubs = new ArrayList<>();

  @Option(
      names = "--serve",
      defaultValue = "all",
      description = "Registry models to serve: 'all' or name@version[,name@version…].")
  String serve;

  @Option(names = "--price-wei", defaultValue = "0", description = "Price per request, in wei.")
  BigInteger priceWei;

  /**
   * The models' configuration; the files are read when the node is assembled.
   *
   * @throws IllegalArgumentException for a {@code --model} that is not FILE=NAME@VERSION, or a
   *     negative price
   */
  public ModelConfig toConfig() {
    List<LocalModel> local = models.stream().map(NodeModelOptions::localModel).toList();
    Predicate<String> served =
        serve.equals("all")
            ? ModelProvisioner.servingAll()
            : ModelProvisioner.serving(List.of(serve.split(",")));
    return new ModelConfig(local, modelHubs, served, priceWei);
  }

  static LocalModel localModel(String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException(
          "--model takes FILE=NAME@VERSION (e.g. model.onnx=support-intents@1), got '"
              + spec
              + "'");
    }
    Path file = Path.of(spec.substring(0, eq));
    String ref = spec.substring(eq + 1);
    ModelId.ofRef(ref); // says what is wrong with a reference that is not name@version
    int at = ref.lastIndexOf('@');
    return new LocalModel(file, ref.substring(0, at), Integer.parseInt(ref.substring(at + 1)));
  }
}
