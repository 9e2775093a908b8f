package io.vouch.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.PublishedSignatures;
import io.vouch.cli.options.ConnectionOptions;
import io.vouch.cli.options.JsonOutputOption;
import io.vouch.cli.options.ZkAccuracyOptions;
import io.vouch.cli.zk.ZkInputs;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.evidence.ToleranceRule;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.ModelSignature;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.onnx.TensorSpec;
import io.vouch.onnx.quant.QuantizationAccuracyException;
import io.vouch.onnx.writer.ClassLabels;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.models.AuditTerms;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.PushRequest;
import io.vouch.sdk.registry.NodeOffer;
import io.vouch.zk.mlp.ZkCompiler;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
    if (m.levels().stream().anyMatch(VerificationLevel::isAudited)) {
      ObjectNode audit = o.putObject("audit");
      audit.put("rateBps", m.auditRateBps());
      audit.put("tolerance", m.toleranceRule().map(ToleranceRule::text).orElse("unknown"));
      audit.put("toleranceEncoded", m.tolerance().toHex());
    }
    m.txHash().ifPresent(t -> o.put("tx", t));
    return o;
  }

  /** How the model's VANILLA results are audited, in words. */
  static String auditText(PublishedModel m) {
    return AuditTerms.percent(m.auditRateBps())
        + " of VANILLA results re-executed by a validator committee, compared "
        + m.toleranceRule()
            .map(r ->
                r.kind() == ToleranceRule.Kind.EXACT
                    ? "exactly"
                    : "by argmax and max |Δ| ≤ " + r.epsilon())
            .orElse("under a rule this CLI does not know (" + m.tolerance() + ")")
        + "; the rest can be challenged for "
        + m.challengeWindowSeconds()
        + " s";
  }

  /**
   * The registry entry, and when given what the model takes and gives ({@code signature}) and what
   * the nodes serving it offer ({@code offers}).
   */
  static void print(
      PrintWriter out,
      PublishedModel m,
      PublishedSignatures.Lookup signature,
      List<NodeOffer> offers) {
    out.printf("%s  %s%n", m.ref(), m.modelId());
    out.printf("  cid        %s%n", m.cid());
    out.printf("  levels     %s   fee %s wei   owner %s%n", m.levels(), m.feeWei(), m.owner());
    if (signature != null && signature.signature().isPresent()) {
      ModelSignature sig = signature.signature().get();
      printSpecs(out, "input ", sig.schema().inputs(), sig);
      printSpecs(out, "output", sig.schema().outputs(), sig);
      out.printf("  schema     %s (the model file's; matches the registry)%n", m.schemaHash());
    } else {
      out.printf("  schema     %s%n", m.schemaHash());
      if (signature != null) {
        out.printf("             inputs and outputs unknown: %s%n", signature.unavailableBecause());
      }
    }
    if (!m.zkModelId().isZero()) {
      out.printf("  zk model   %s%n", m.zkModelId());
    }
    if (m.levels().stream().anyMatch(VerificationLevel::isAudited)) {
      out.printf("  audits     %s%n", auditText(m));
    }
    if (offers != null) {
      if (offers.isEmpty()) {
        out.printf(
            "  nodes      none serves it yet (a running node picks a new model up within seconds)%n");
      }
      boolean first = true;
      for (NodeOffer o : offers) {
        out.printf(
            "  %s %s  %s  %s wei%s  stake %s wei  %s%n",
            first ? "nodes     " : "          ",
            o.node(),
            o.levels().stream().sorted().map(Enum::name).collect(Collectors.joining(",")),
            o.priceWei(),
            o.nextPrice()
                .map(n -> " (" + n.priceWei() + " wei from chain time " + n.effectiveAt() + ")")
                .orElse(""),
            o.stakeWei(),
            o.endpoint());
        first = false;
      }
    }
    m.txHash().ifPresent(t -> out.printf("  tx         %s%n", t));
  }

  private static void printSpecs(
      PrintWriter out, String what, List<TensorSpec> specs, ModelSignature sig) {
    boolean first = true;
    for (TensorSpec spec : specs) {
      out.printf("  %s     %s%n", first ? what : "      ", spec);
      sig.labelsOf(spec.name())
          .ifPresent(
              l -> out.printf("             labels (%d): %s%n", l.size(), String.join(", ", l)));
      first = false;
    }
  }

  static ObjectNode toJson(
      PublishedModel m, PublishedSignatures.Lookup signature, List<NodeOffer> offers) {
    ObjectNode o = toJson(m);
    if (signature.signature().isPresent()) {
      ObjectNode sig = signature.signature().get().toJson();
      o.set("inputs", sig.get("inputs"));
      o.set("outputs", sig.get("outputs"));
    } else {
      o.put("signatureUnavailable", signature.unavailableBecause());
    }
    ArrayNode nodes = o.putArray("nodes");
    for (NodeOffer n : offers) {
      ObjectNode j = nodes.addObject();
      j.put("node", n.node().toHex());
      j.put("endpoint", n.endpoint());
      ArrayNode lv = j.putArray("levels");
      n.levels().stream().sorted().forEach(l -> lv.add(l.name()));
      j.put("priceWei", n.priceWei().toString());
      n.nextPrice()
          .ifPresent(p -> {
            j.put("nextPriceWei", p.priceWei().toString());
            j.put("nextPriceAt", p.effectiveAt());
          });
      j.put("stakeWei", n.stakeWei().toString());
    }
    return o;
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
        "  vouch model push mlp.onnx --name mlp --levels vanilla,zkml --json",
        "  vouch model push intents.onnx --name intents --labels labels.txt"
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
            "ZKML only: a JSON file, an array of inputs to calibrate int8 scales on, each in a"
                + " form vouch infer --input takes, as for vouch zk compile --calibration (default:"
                + " the deterministic generated inputs of vouch zk compile).")
    Path calibration;

    /** ZKML only: what the integer model must meet against ONNX Runtime. */
    @CommandLine.Mixin ZkAccuracyOptions accuracy;

    @Option(
        names = "--labels",
        paramLabel = "FILE",
        description =
            "A classifier's class names, one per line in output index order: written into the"
                + " model's metadata (vouch.labels) before it is pushed, so the published CID"
                + " covers them; vouch infer prints the predicted class by name. A model that"
                + " already carries vouch.labels needs no file.")
    Path labels;

    @Option(
        names = "--audit-rate",
        paramLabel = "RATE",
        description =
            "VANILLA only: the share of results a validator committee re-executes, as a"
                + " percentage (10%%, 2.5%%) or in basis points (250bps); recorded on chain with"
                + " this version and fixed for its life (default: the registry's rate).")
    String auditRate;

    @Option(
        names = "--tolerance",
        paramLabel = "RULE",
        description =
            "VANILLA only: how an audit compares outputs: exact, or argmax:EPS (the same"
                + " argmax, every element within EPS) (default: argmax:1e-4, which absorbs"
                + " ONNX Runtime's last-bit differences across CPUs).")
    String tolerance;

    @CommandLine.Mixin JsonOutputOption output = new JsonOutputOption();

    @Override
    public Integer call() throws java.io.IOException {
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
      checkAuditOptions(lv);
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
      Path pushed = file;
      if (labels != null) {
        List<String> names;
        byte[] labelled;
        try {
          names = ClassLabels.parse(Files.readString(labels));
          labelled = ClassLabels.write(onnx, names);
        } catch (IllegalArgumentException e) {
          throw new VouchException(
              ErrorCode.BAD_INPUT,
              "--labels " + labels + ": " + e.getMessage() + "; nothing was published");
        }
        pushed = Files.createTempFile("vouch-labelled-", ".onnx");
        pushed.toFile().deleteOnExit();
        Files.write(pushed, labelled);
        onnx = OnnxModelFile.parse(labelled);
      }
      // Nodes run a model with ONNX Runtime: one it cannot load would be accepted here and then
      // fail every request (on chain, after its fee waited for the deadline). Refuse it now.
      try (OnnxRuntimeEngine loaded = OnnxRuntimeEngine.load(onnx, EngineOptions.DEFAULT)) {
        loaded.model(); // loads: every node can run it
      } catch (VouchException e) {
        throw new VouchException(
            ErrorCode.INVALID_MODEL,
            file
                + ": no node could run it: "
                + e.getMessage()
                + ". Export it with operators and an opset that ONNX Runtime supports; nothing was"
                + " published",
            e);
      }
      if (lv.stream().anyMatch(VerificationLevel::carriesProof)) {
        ZkCompiler.Compiled compiled;
        // a calibration file that does not fit the model is bad input (refused as such)
        float[][] inputs =
            calibration == null ? null : ZkInputs.calibration(onnx.schema(), calibration);
        try {
          compiled = ZkCompiler.compile(onnx, inputs, accuracy.thresholds());
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
        Optional<AuditTerms> audit = auditTerms(vouch);
        PushRequest request;
        try {
          request =
              new PushRequest(name, v, lv, feeWei, onnx.schema().schemaHash(), zkModelId, audit);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PublishedModel m =
            zkModelFile == null
                ? vouch.models().push(pushed, request)
                : vouch.models().push(pushed, request, zkModelFile);
        ModelSignature signature = ModelSignature.of(onnx);
        PublishedSignatures.remember(m.cid(), signature);
        if (output.json()) {
          out.println(
              toJson(m, PublishedSignatures.Lookup.of(signature), List.of()).toPrettyString());
        } else {
          out.println("pushed " + m.ref());
          print(out, m, PublishedSignatures.Lookup.of(signature), null);
          if (labels != null) {
            out.printf(
                "  (labels written into the model's metadata: the CID above is of the labelled"
                    + " file, not of %s)%n",
                file);
          }
        }
        return ExitCodes.OK;
      }
    }

    /** Refuses audit options that cannot apply, before anything is compiled or published. */
    private void checkAuditOptions(Set<VerificationLevel> lv) {
      if (auditRate == null && tolerance == null) {
        return;
      }
      String option = auditRate != null ? "--audit-rate" : "--tolerance";
      if (lv.stream().noneMatch(VerificationLevel::isAudited)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            option
                + " applies to VANILLA results and --levels "
                + String.join(",", levels)
                + " has no vanilla; add it or leave the audit options out");
      }
      try {
        if (auditRate != null) {
          AuditTerms.parseRate(auditRate);
        }
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--audit-rate: " + e.getMessage());
      }
      try {
        if (tolerance != null) {
          ToleranceRule.parse(tolerance);
        }
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--tolerance: " + e.getMessage());
      }
    }

    /**
     * The audit terms given with --audit-rate and --tolerance (one without the other takes the
     * registry's default for the other); empty when neither is given.
     */
    private Optional<AuditTerms> auditTerms(VouchClient vouch) {
      if (auditRate == null && tolerance == null) {
        return Optional.empty();
      }
      int rate =
          auditRate != null
              ? AuditTerms.parseRate(auditRate)
              : vouch.models().defaultAuditRateBps();
      ToleranceRule rule =
          tolerance != null ? ToleranceRule.parse(tolerance) : ToleranceRule.DEFAULT;
      return Optional.of(new AuditTerms(rate, rule));
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

    @CommandLine.Mixin JsonOutputOption output = new JsonOutputOption();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (VouchClient vouch = connection.connect()) {
        List<PublishedModel> models = vouch.models().list();
        if (output.json()) {
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
      description = {
        "Show one model: what it takes and gives, its terms, and the nodes serving it.",
        "Inputs and outputs (names, dtypes, shapes; N for any size) and a classifier's class"
            + " labels come from the model file itself, fetched from the model hub by the CID the"
            + " ModelRegistry records (hash-checked, its schema checked against the registry's"
            + " schema hash) and cached per CID in ~/.cache/vouch. Then the CID, the levels the"
            + " model allows, the owner's fee per request, and for each node that serves it the"
            + " levels, the price per request (and an announced increase), the stake and the"
            + " endpoint, from the NodeRegistry."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  vouch model show support-intents@1", "  vouch model show my-model --json"})
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();

    @Parameters(
        index = "0",
        paramLabel = "REF",
        description = "name@version, name, or 0x model id.")
    String ref;

    @CommandLine.Mixin JsonOutputOption output = new JsonOutputOption();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (VouchClient vouch = connection.connect()) {
        PublishedModel m = vouch.models().show(ref);
        PublishedSignatures.Lookup signature = PublishedSignatures.of(vouch, m);
        List<NodeOffer> offers = vouch.offers(m.modelId().toHex());
        if (output.json()) {
          out.println(toJson(m, signature, offers).toPrettyString());
        } else {
          print(out, m, signature, offers);
        }
        return ExitCodes.OK;
      }
    }
  }
}
