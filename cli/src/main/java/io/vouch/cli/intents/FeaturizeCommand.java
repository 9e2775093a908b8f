package io.vouch.cli.intents;

import io.vouch.cli.ExitCodes;
import io.vouch.core.json.TensorJson;
import io.vouch.demo.text.HashedBagOfWords;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vouch featurize TEXT...}: the input tensor a text model takes, as JSON, for clients that
 * call a node without the SDK (curl) — the same vector {@code vouch infer --text} sends.
 */
@Command(
    name = "featurize",
    mixinStandardHelpOptions = true,
    description = {
      "Print the input tensor of a text model for TEXT, as the JSON a node takes.",
      "The hashed bag of words (vouch-hashed-bow-v1, documented in core's io.vouch.demo.text):"
          + " one row of 0/1 buckets per TEXT, float32 [rows, buckets]; the same vector vouch"
          + " infer --text sends, so a client without the SDK (curl: see the README) puts it in a"
          + " request's \"input\". The output is that tensor JSON, with or without --json."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch featurize \"where is my parcel\" > x.json",
      "  vouch featurize \"refund please\" \"where is my order\" --buckets 512"
    })
public final class FeaturizeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "One message per argument.")
  List<String> texts;

  @Option(
      names = "--buckets",
      defaultValue = "512",
      paramLabel = "N",
      description = "Buckets: the model's input width (default: ${DEFAULT-VALUE}).")
  int buckets;

  @Option(names = "--json", description = "Errors as JSON on stderr too.")
  boolean json;

  @Override
  public Integer call() {
    if (buckets < 1 || buckets > 1 << 20) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--buckets must be 1 to 1048576, got " + buckets);
    }
    HashedBagOfWords featurizer = new HashedBagOfWords(buckets);
    spec.commandLine().getOut().println(TensorJson.toJson(featurizer.toTensor(texts)).toString());
    return ExitCodes.OK;
  }
}
