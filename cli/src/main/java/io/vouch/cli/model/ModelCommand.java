package io.vouch.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.ConnectionOptions;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.zk.ZkInputs;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.QuantizationAccuracyException;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.PushRequest;
import io.vouch.zk.mlp.ZkCompiler;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch model push|list|show}. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Publish models (model hub + ModelRegistry) and look them up.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch model push my.onnx --name my-model",
      "  vouch model list",
      "  vouch model show my-model@1 --json"
    },
    subcommands = {ModelCommand.Push.class, ModelCommand.ListModels.class, ModelCommand.Show.class})
public final class ModelCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static ObjectNode toJson(PublishedModel m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("modelId", m.modelId().toHex());
    o.put("name", m.name());
    o.put("version", m.version());
    o.put("cid", m.cid());
    ArrayNode levels = o.putArray("levels");
    m.levels().stream().sorted().forEach(l -> levels.add(l.name()));
    o.put("feeWei", m.feeWei().toString());
    o.put("owner", m.owner().toHex());
    o.put("schemaHash", m.schemaHash().toHex());
    o.put("zkModelId", m.zkModelId().toHex());
    o.put("challengeWindowSeconds", m.challengeWindowSeconds());
    m.txHash().ifPresent(t -> o.put("tx", t));
    return o;
  }

  static void print(PrintWriter out, PublishedModel m) {
    out.printf("%s  %s%n", m.ref(), m.modelId());
    out.printf("  cid        %s%n", m.cid());
    out.printf("  levels     %s   fee %s wei   owner %s%n", m.levels(), m.feeWei(), m.owner());
    out.printf("  schema     %s%n", m.schemaHash());
    if (!m.zkModelId().isZero()) {
      out.printf("  zk model   %s%n", m.zkModelId());
    }
    m.txHash().ifPresent(t -> out.printf("  tx         %s%n", t));
  }

  @Command(
      name = "push",
      description = {
        "Validate an ONNX model and publish it as NAME@VERSION (model hub + ModelRegistry).",
        "The file is stored in the model hub (content-addressed) and published in the"
            + " ModelRegistry; nothing is published when it is not a valid model. Without"
            + " --version it is published as the next version of NAME (1 for a new name).",
        "With zkml among --levels the model is also compiled for the ZKML level (int8"
            + " quantization, calibrated like vouch zk compile), and its ZK model file is stored"
            + " in the same hub version (model.zkmodel) with its id recorded on chain as"
            + " zkModelId. A model the prover cannot take (unsupported op, poor int8 agreement) is"
            + " refused and nothing is published."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch model push my.onnx --name my-model",
        "  vouch model push my.onnx --name my-model --version 3 --levels vanilla,tee",
        "  vouch model push mlp.onnx --name mlp --levels vanilla,zkml --json"
      })
  static final class Push implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();

    // Not mixinStandardHelpOptions: its -V/--version would clash with the model's --version.
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "FILE", description = "The ONNX model file.")
    Path file;

    @Option(
        names = "--name",
        required = true,
        paramLabel = "NAME",
        description = "Registry name (a-z, 0-9, . _ -).")
    String name;

    @Option(
        names = "--version",
        paramLabel = "N",
        description = "Version, from 1 (default: the next one: latest published + 1).")
    Integer version;

    @Option(
        names = "--levels",
        split = ",",
        defaultValue = "vanilla",
        paramLabel = "LEVEL",
        description =
            "Levels the model may be served at: vanilla, tee, zkml (default: ${DEFAULT-VALUE}).")
    List<String> levels;

    @Option(
        names = "--fee-wei",
        defaultValue = "0",
        paramLabel = "WEI",
        description = "Model owner's fee per request (default: ${DEFAULT-VALUE}).")
    BigInteger feeWei;

    @Option(
        names = "--calibration",
        paramLabel = "FILE",
        description =
            "ZKML only: JSON array of input vectors to calibrate int8 scales on (default: the"
                + " deterministic seeded inputs of vouch zk compile).")
    Path calibration;

    @Option(
        names = "--min-agreement",
        defaultValue = "0.99",
        description = "ZKML only: least top-1 agreement of int8 vs float (default 0.99).")
    double minAgreement;

    @Option(names = "--json", description = "Print JSON (errors too, on stderr).")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Set<VerificationLevel> lv = EnumSet.noneOf(VerificationLevel.class);
      for (String l : levels) {
        try {
          lv.add(VerificationLevel.parse(l));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--levels: " + e.getMessage());
        }
      }
      if (version != null && version < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--version must be 1 or more, got " + version);
      }
      byte[] zkModelFile = null;
      Bytes32 zkModelId = Bytes32.ZERO;
      OnnxModelFile onnx;
      try {
        onnx = OnnxModelFile.read(file);
      } catch (VouchException | IllegalArgumentException e) {
        throw new VouchException(
            e instanceof VouchException v ? v.code() : ErrorCode.BAD_INPUT,
            file + ": " + e.getMessage(),
            e);
      }
      if (lv.contains(VerificationLevel.ZKML)) {
        ZkCompiler.Compiled compiled;
        try {
          float[][] inputs =
              calibration == null
                  ? null
                  : ZkInputs.vectors(
                      "--calibration",
                      ZkInputs.jsonArgument("--calibration", calibration.toString()));
          compiled = ZkCompiler.compile(onnx, inputs, minAgreement);
        } catch (VouchException | IllegalArgumentException | QuantizationAccuracyException e) {
          throw new VouchException(
              ErrorCode.INVALID_MODEL,
              file
                  + ": cannot be served at ZKML: "
                  + e.getMessage()
                  + "; push it without zkml in --levels, or fix the model. Nothing was published",
              e);
        }
        zkModelId = compiled.model().modelId();
        zkModelFile = compiled.fileBytes();
      }
      try (VouchClient vouch = connection.connect()) {
        int v = version != null ? version : nextVersion(vouch);
        PushRequest request;
        try {
          request = new PushRequest(name, v, lv, feeWei, onnx.schema().schemaHash(), zkModelId);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PublishedModel m =
            zkModelFile == null
                ? vouch.models().push(file, request)
                : vouch.models().push(file, request, zkModelFile);
        if (json) {
          out.println(toJson(m).toPrettyString());
        } else {
          out.println("pushed " + m.ref());
          print(out, m);
        }
        return ExitCodes.OK;
      }
    }

    /** The version after the latest published one of {@code name}, or 1 for a new name. */
    private int nextVersion(VouchClient vouch) {
      try {
        return vouch.models().show(name).version() + 1;
      } catch (VouchException e) {
        if (e.code() == ErrorCode.UNKNOWN_MODEL) {
          return 1;
        }
        throw e;
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the published models: name@version, model id, levels, CID.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch model list",
        "  vouch model list --json",
        "  vouch model list --rpc http://127.0.0.1:8545 --deployment deployment.json"
      })
  static final class ListModels implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--json", description = "Print JSON (errors too, on stderr).")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (VouchClient vouch = connection.connect()) {
        List<PublishedModel> models = vouch.models().list();
        if (json) {
          ArrayNode arr = JSON.createArrayNode();
          models.forEach(m -> arr.add(toJson(m)));
          out.println(arr.toPrettyString());
        } else if (models.isEmpty()) {
          out.println("no models published yet; vouch model push FILE --name N --version 1");
        } else {
          models.forEach(
              m -> out.printf("%-32s %s  %s  %s%n", m.ref(), m.modelId(), m.levels(), m.cid()));
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show one model: CID, levels, fee, owner, schema, ZK model id.",
      footerHeading = "%nExamples:%n",
      footer = {"  vouch model show my-model@1", "  vouch model show my-model --json"})
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();

    @Parameters(
        index = "0",
        paramLabel = "REF",
        description = "name@version, name, or 0x model id.")
    String ref;

    @Option(names = "--json", description = "Print JSON (errors too, on stderr).")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (VouchClient vouch = connection.connect()) {
        PublishedModel m = vouch.models().show(ref);
        if (json) {
          out.println(toJson(m).toPrettyString());
        } else {
          print(out, m);
        }
        return ExitCodes.OK;
      }
    }
  }
}
