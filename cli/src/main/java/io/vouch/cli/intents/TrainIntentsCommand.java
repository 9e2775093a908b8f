package io.vouch.cli.intents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.Failure;
import io.vouch.cli.options.JsonOutputOption;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.demo.SupportIntentDataset;
import io.vouch.demo.TrainingConfig;
import io.vouch.onnx.OnnxModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vouch train-intents DATA.tsv --out model.onnx}: the demo's featurizer and trainer on the
 * user's own labelled messages ({@link IntentData} reads them, {@link IntentTrainer} trains), so "a
 * customer-service model of my own" is one command before {@code vouch model push}.
 */
@Command(
    name = "train-intents",
    mixinStandardHelpOptions = true,
    description = {
      "Train a text intent classifier on your own labelled messages; writes ONNX for vouch model"
          + " push.",
      "DATA is a UTF-8 TSV file: one message per line, intent<TAB>text, exactly one tab (an"
          + " optional first line intent<TAB>text is a header; blank lines and lines starting with"
          + " # are skipped). At least two intents; intent names without commas. About 20 %% of"
          + " each intent's messages (none of an intent with fewer than 3) are held out, and the"
          + " accuracy on them is printed. --example prints the demo's 592 messages in this format"
          + " to start from.",
      "The model is the demo's: the hashed bag of words (vouch-hashed-bow-v1, 512 buckets, as"
          + " vouch infer --text and vouch featurize compute it) into Gemm, Relu, Gemm, one logit"
          + " per intent; the intent names are in its metadata, in output order. The same data and"
          + " settings always give the same file."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch train-intents --example > intents.tsv",
      "  vouch train-intents intents.tsv --out my.onnx --labels labels.txt",
      "  vouch model push my.onnx --name my-intents",
      "  vouch infer --model my-intents@1 --text \"where is my parcel\"",
      "  vouch train-intents intents.tsv --out my.onnx --calibration-out calib.json",
      "  vouch model push my.onnx --name my-intents --levels vanilla,zkml \\",
      "      --calibration calib.json"
    })
public final class TrainIntentsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DATA",
      description = "The labelled messages, intent<TAB>text per line.")
  Path data;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the ONNX model (required with DATA).")
  Path out;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "Also write the intent names, one per line, in output index order.")
  Path labelsOut;

  @Option(
      names = "--calibration-out",
      paramLabel = "FILE",
      description =
          "Also write up to 256 feature vectors of your messages as a JSON array of tensors"
              + " (float32, shape [1, 512]), for vouch model push --levels vanilla,zkml"
              + " --calibration FILE or vouch zk compile --calibration FILE (int8 scales from real"
              + " inputs).")
  Path calibrationOut;

  @Option(
      names = "--hidden",
      defaultValue = "64",
      paramLabel = "N",
      description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(
      names = "--epochs",
      defaultValue = "40",
      paramLabel = "N",
      description = "Passes over the training messages (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--example",
      description = "Print the demo's labelled messages in the DATA format and exit.")
  boolean example;

  @CommandLine.Mixin JsonOutputOption output = new JsonOutputOption();

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    if (example) {
      if (data != null || out != null) {
        throw usage("--example prints the example data; give it alone");
      }
      o.print(exampleData());
      o.flush();
      return ExitCodes.OK;
    }
    if (data == null) {
      throw usage("give the labelled messages (DATA), or --example to print the demo's");
    }
    if (out == null) {
      throw usage("--out FILE is required: where to write the ONNX model");
    }
    if (hidden < 1 || hidden > 4096 || epochs < 1 || epochs > 10_000) {
      throw usage("--hidden must be 1 to 4096 and --epochs 1 to 10000");
    }
    IntentData messages = IntentData.parse(data.toString(), read(data));
    TrainingConfig defaults = TrainingConfig.DEFAULT;
    TrainingConfig config =
        new TrainingConfig(
            hidden,
            epochs,
            defaults.batchSize(),
            defaults.learningRate(),
            defaults.weightDecay(),
            defaults.seed());
    IntentTrainer.Trained t = IntentTrainer.train(messages, config);

    if (!write(out, t.onnx())
        || labelsOut != null
            && !write(
                labelsOut, (String.join("\n", t.labels()) + "\n").getBytes(StandardCharsets.UTF_8))
        || calibrationOut != null
            && !write(
                calibrationOut, JSON.writeValueAsBytes(calibrationTensors(t.calibration())))) {
      return ExitCodes.FAILED;
    }
    String schemaHash = OnnxModelFile.parse(t.onnx()).schema().schemaHash().toHex();
    List<String> sparse = messages.sparseIntents();
    if (output.json()) {
      ObjectNode r = JSON.createObjectNode();
      r.put("data", data.toString());
      r.put("messages", messages.examples().size());
      ObjectNode counts = r.putObject("intents");
      messages.counts().forEach(counts::put);
      r.put("trainMessages", t.trainMessages());
      r.put("heldOutMessages", t.heldOutMessages());
      if (t.heldOutAccuracy().isPresent()) {
        r.put("heldOutAccuracy", t.heldOutAccuracy().getAsDouble());
      } else {
        r.putNull("heldOutAccuracy");
      }
      r.put("trainAccuracy", t.trainAccuracy());
      r.put("out", out.toString());
      r.put("bytes", t.onnx().length);
      r.put("schemaHash", schemaHash);
      ArrayNode labels = r.putArray("labels");
      t.labels().forEach(labels::add);
      if (labelsOut != null) {
        r.put("labelsFile", labelsOut.toString());
      }
      if (calibrationOut != null) {
        r.put("calibrationFile", calibrationOut.toString());
      }
      ArrayNode warnings = r.putArray("warnings");
      if (!sparse.isEmpty()) {
        warnings.add(sparseWarning(sparse));
      }
      o.println(r.toPrettyString());
      return ExitCodes.OK;
    }
    o.printf(
        "read      %s: %d messages, %d intents (%s)%n",
        data,
        messages.examples().size(),
        messages.labels().size(),
        messages.counts().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", ")));
    if (!sparse.isEmpty()) {
      o.println("warning   " + sparseWarning(sparse));
    }
    o.printf(
        "trained   512-%d-%d (Gemm, Relu, Gemm) on %d messages, %d epochs%n",
        hidden, t.labels().size(), t.trainMessages(), epochs);
    if (t.heldOutAccuracy().isPresent()) {
      o.printf(
          Locale.ROOT,
          "accuracy  %.3f on %d held-out messages (%.3f on the training messages)%n",
          t.heldOutAccuracy().getAsDouble(),
          t.heldOutMessages(),
          t.trainAccuracy());
    } else {
      o.printf(
          Locale.ROOT,
          "accuracy  none held out (give each intent 3 or more messages); %.3f on the training"
              + " messages%n",
          t.trainAccuracy());
    }
    o.printf(
        "wrote     %s (%d bytes), intents in output order: %s%n", out, t.onnx().length, t.labels());
    if (labelsOut != null) {
      o.printf("wrote     %s%n", labelsOut);
    }
    if (calibrationOut != null) {
      o.printf("wrote     %s (%d feature vectors)%n", calibrationOut, t.calibration().length);
    }
    o.printf("next      vouch model push %s --name %s%n", out, suggestedName(out));
    return ExitCodes.OK;
  }

  private static String sparseWarning(List<String> sparse) {
    return "few messages (under "
        + IntentData.FEW
        + ") for "
        + String.join(", ", sparse)
        + ": the model will know little of "
        + (sparse.size() == 1 ? "it" : "them")
        + ", and the accuracy says little; label more";
  }

  /** A registry name from the file name: lower case, a-z 0-9 . _ - only. */
  private static String suggestedName(Path file) {
    String n = file.getFileName().toString().replaceFirst("\\.onnx$", "").toLowerCase(Locale.ROOT);
    n = n.replaceAll("[^a-z0-9._-]", "-").replaceFirst("^[^a-z0-9]+", "");
    return n.isEmpty() ? "my-intents" : n.length() > 64 ? n.substring(0, 64) : n;
  }

  private static String read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new VouchException(ErrorCode.BAD_INPUT, file + " is a folder; give the TSV file");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (NoSuchFileException e) {
      throw new VouchException(ErrorCode.BAD_INPUT, "no such file: " + file);
    } catch (CharacterCodingException e) {
      throw new VouchException(ErrorCode.BAD_INPUT, file + " is not UTF-8 text; save it as UTF-8");
    }
  }

  /** Writes {@code bytes} to {@code file}; a failure is reported (IO_ERROR, exit 1) and false. */
  private boolean write(Path file, byte[] bytes) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, bytes);
      return true;
    } catch (IOException e) {
      Failure.io("cannot write " + file + ": " + e.getMessage())
          .report(spec.commandLine(), null, e);
      return false;
    }
  }

  /** The bundled demo dataset, as its file reads (header included). */
  static String exampleData() throws IOException {
    try (InputStream in =
        SupportIntentDataset.class.getResourceAsStream(SupportIntentDataset.RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the demo's messages are missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Each feature vector as the tensor JSON vouch infer takes: float32 [1, n]. */
  private static ArrayNode calibrationTensors(float[][] rows) {
    ArrayNode a = JSON.createArrayNode();
    for (float[] row : rows) {
      ObjectNode t = a.addObject();
      t.put("dtype", "float32");
      t.putArray("shape").add(1).add(row.length);
      ArrayNode data = t.putArray("data");
      for (float v : row) {
        data.add(v);
      }
    }
    return a;
  }
}
