package io.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.options.ConnectionOptions;
import io.vouch.cli.options.RequirementsOptions;
import io.vouch.cli.options.TeeTrustOptions;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.onnx.ModelSchema;
import io.vouch.onnx.ModelSignature;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.direct.NodeClient;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import io.vouch.sdk.plan.InferencePlan;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vouch infer}: one inference, on the direct path (planned across the registry's nodes from
 * the stated requirements, or at one {@code --node}) or on chain ({@code --on-chain}), the input
 * checked against the model's schema before anything is paid or sent ({@link PublishedSignatures}),
 * the result verified before it is printed with the predicted class names of a labelled model.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Run a model and verify the result, directly at a node or on chain.",
      "State what you require — the weakest level you accept (--level), how long a node may take"
          + " (--max-latency), the most you pay (--max-fee-wei) — and the planner chooses the level"
          + " and the node from the on-chain registry, and says why: the weakest level the model"
          + " allows that a node serves within your fee and latency, and a node drawn at random,"
          + " weighted by stake, among those close to the best in latency and price (so that"
          + " requests spread over the nodes). It falls back to the next node when one is down.",
      "Before anything is paid or sent, the input is checked against the model's schema (input"
          + " names, dtypes, ranks, fixed dimensions; vouch model show lists them); a mismatch is"
          + " refused with the schema. Direct-path nodes are paid by vouchers drawn on your"
          + " deposit (--deposit-wei tops it up). With --on-chain the request goes through the"
          + " InferenceHub contract, the fee escrowed, the node assigned by the hub, and the result"
          + " read back from the chain (vouch request show ID follows it).",
      "Prints the output values and, for a classifier that names its classes, the predicted"
          + " class by name.",
      "Exit 0 when the result verified; 1 when no node answered, the chain or a node was"
          + " unreachable or too slow, or the result did not verify; 2 on bad input (malformed"
          + " tensor, an input the model does not take, unknown model, a level the model does not"
          + " allow, an input over the node's limit)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch infer --model support-intents@1 --text \"where is my order\"",
      "  vouch infer --model support-intents@1 --text \"refund please\" \\",
      "      --level auto --max-latency 2s --max-fee-wei 2000000000000000",
      "  vouch infer --model my-model@1 --deposit-wei 10000000000000000 \\",
      "      --input '{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[1,2,3,4]}'",
      "  vouch infer --model my-model@1 --input-file x.json --json > r.json",
      "  vouch infer --model support-intents@1 --text \"where is my order\" --level tee",
      "  vouch infer --model support-intents@1 --text \"where is my order\" --on-chain",
      "  vouch infer --model my-model@1 --input-file x.json --timeout 5s \\",
      "      --node http://127.0.0.1:8080"
    })
public final class InferCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();
  @CommandLine.Mixin TeeTrustOptions tee = new TeeTrustOptions();
  @CommandLine.Mixin RequirementsOptions requirements = new RequirementsOptions();

  @Option(
      names = "--model",
      required = true,
      paramLabel = "REF",
      description = "name@version, or a bare name for its latest version.")
  String model;

  @Option(
      names = "--deposit-wei",
      paramLabel = "WEI",
      description =
          "Top up your deposit in the hub first (direct path: each node is paid by vouchers against a channel funded from it).")
  BigInteger depositWei;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "How long to wait in all, e.g. 500ms, 5s, 2m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--on-chain", description = "Request through the InferenceHub (fee escrowed).")
  boolean onChain;

  @Option(
      names = "--fast",
      description = "On chain: return at submission (not final yet) instead of at finalization.")
  boolean fast;

  @Option(
      names = "--node",
      paramLabel = "URL",
      description =
          "Direct path to this node URL only, skipping the planner (its signer must still be staked).")
  String node;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(
        names = "--input",
        paramLabel = "JSON|NAME=@FILE|NAME=JSON",
        description =
            "Tensor JSON {\"dtype\":…,\"shape\":[…],\"data\":[…]}, or for a model with several"
                + " inputs one JSON object of named tensors {\"state\":{…},\"sr\":{…}}, or one"
                + " named input per --input: NAME=@FILE (a file holding tensor JSON) or NAME=JSON"
                + " (repeat for each input).")
    List<String> json;

    @Option(
        names = "--input-file",
        paramLabel = "FILE",
        description = "File holding tensor JSON, or one JSON object of named tensors.")
    Path file;

    @Option(
        names = "--text",
        paramLabel = "TEXT",
        description =
            "Text, featurized with the hashed bag of words (vouch-hashed-bow-v1, 512 buckets).")
    String text;
  }

  @Option(
      names = "--json",
      description = "Print the result as JSON (vouch verify reads it); errors too, on stderr.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    NamedTensors tensor = readInput();
    Requirements req = requirements.toConfig(timeout);
    try (VouchClient vouch = connection.connect(tee)) {
      PublishedModel m = vouch.models().show(model);
      PublishedSignatures.Lookup signature = PublishedSignatures.of(vouch, m);
      tensor = checkAgainstSchema(m, signature, tensor);
      // The deposit is the user's own top-up: made once the input is known to fit, even when no
      // node can serve the request yet (a retry then finds it).
      deposit(vouch, out);
      if (onChain) {
        // Plan before paying anything: the level, and a refusal when no node can serve it.
        InferencePlan plan = vouch.plan(model, req);
        if (!json) {
          out.printf(
              "level      %s; the hub assigns the node (a stake-weighted draw among the nodes"
                  + " within the fee)%n",
              plan.route().levelReason());
          out.flush();
        }
        OnChainRequest h =
            vouch.inferOnChain(
                model,
                tensor,
                OnChainOptions.defaults(req.maxFeeWei())
                    .withLevel(plan.level())
                    .withFastDelivery(fast));
        if (!json) {
          out.printf(
              "requested  #%s in %s (vouch request show %s follows it)%n",
              h.requestId(), h.transactionHash(), h.requestId());
          out.flush();
        }
        OnChainResult r;
        try {
          r = vouch.awaitResult(h, timeout);
        } catch (VouchException e) {
          if (e.code() != ErrorCode.NODE_UNAVAILABLE) {
            throw e;
          }
          // The SDK's advice names its API; a CLI user follows the request by its number.
          String where = e.getMessage().replaceFirst("; call awaitResult again.*$", "");
          throw new VouchException(
              ErrorCode.NODE_UNAVAILABLE,
              where
                  + "; follow it with vouch request show "
                  + h.requestId()
                  + ", and once its deadline or challenge window has passed vouch request settle "
                  + h.requestId()
                  + " moves it on",
              e);
        }
        printOnChain(out, h, r, signature);
        return ExitCodes.OK;
      }
      InferenceOutcome o;
      InferencePlan plan = null;
      if (node != null) {
        VerificationLevel lvl =
            m.levels().stream()
                .filter(l -> l.atLeast(req.minLevel()))
                .min(Comparator.naturalOrder())
                .orElseThrow(() ->
                    new VouchException(
                        ErrorCode.UNSUPPORTED_LEVEL,
                        "model "
                            + m.ref()
                            + " allows "
                            + m.levels()
                            + ", nothing at "
                            + req.minLevel()
                            + " or better; ask for a level it allows"));
        Bytes32 id = randomId();
        InferenceOutcome raw;
        try (NodeClient client = new NodeClient(node)) {
          raw = client.infer(model, tensor, lvl, id, req.maxLatency());
        }
        o = vouch.verify(raw);
      } else {
        plan = vouch.plan(model, req);
        if (!json) {
          out.printf("level     %s%n", plan.route().levelReason());
          out.printf("plan      %s%n", plan.route().nodeReason());
          out.flush();
        }
        o = vouch.infer(plan, tensor);
      }
      if (json) {
        ObjectNode n = ResultFile.toJson(o);
        if (plan != null) {
          ObjectNode p = n.putObject("plan");
          p.put("level", plan.level().name());
          p.put("why", plan.reason());
          p.put("firstChoice", plan.nodes().getFirst().address().toHex());
        }
        putLabels(n, signature, o.outputs());
        out.println(n.toPrettyString());
      } else {
        out.printf("model     %s (%s)%n", o.modelRef(), o.modelId());
        printOutputs(out, "output    ", o.outputs(), signature);
        String fallback =
            plan != null && !plan.nodes().getFirst().address().equals(o.node())
                ? " (a fallback: the first choice "
                    + plan.nodes().getFirst().address()
                    + " did not answer)"
                : "";
        out.printf("node      %s via %s%s%n", o.node(), o.nodeEndpoint(), fallback);
        out.printf(
            "receipt   seq=%d signature=%s%n",
            o.receipt().receipt().sequence(), o.receipt().signature());
        out.printf(
            "verified  %s%n",
            o.verification() instanceof InferenceOutcome.Verification.ClientVerified v
                ? v.what()
                : "no");
      }
      return ExitCodes.OK;
    }
  }

  private void deposit(VouchClient vouch, PrintWriter out) {
    if (depositWei == null) {
      return;
    }
    var d = vouch.payments().deposit(depositWei);
    if (!json) {
      out.printf(
          "deposited  %s wei (balance %s wei) in %s%n",
          depositWei, d.balanceWei(), d.transactionHash());
    }
  }

  /**
   * The input as the model names it (a lone tensor takes the model's only input name), checked
   * against the schema before anything is paid or sent. Without the schema (no hub to fetch the
   * model file from), the direct path goes on with a note, since the node checks the input before
   * any payment is drawn; an on-chain request is refused: a wrong input would cost its gas and hold
   * the fee until the deadline.
   */
  private NamedTensors checkAgainstSchema(
      PublishedModel m, PublishedSignatures.Lookup signature, NamedTensors given) {
    if (signature.signature().isEmpty()) {
      String why =
          "the input cannot be checked against the schema of "
              + m.ref()
              + ": "
              + signature.unavailableBecause();
      if (onChain) {
        throw new VouchException(
            ErrorCode.NODE_UNAVAILABLE,
            why + "; nothing was sent. Retry when the model hub is reachable");
      }
      spec.commandLine().getErr().println("vouch infer: note: " + why + "; the node checks it");
      spec.commandLine().getErr().flush();
      return given;
    }
    ModelSchema schema = signature.signature().get().schema();
    NamedTensors named = given;
    if (given.size() == 1 && given.names().getFirst().equals(NamedTensors.LONE)) {
      if (schema.inputs().size() != 1) {
        throw refused(
            m,
            "the model takes "
                + schema.inputs().size()
                + " inputs, give each by name (--input NAME=@FILE, or one JSON object of named"
                + " tensors): "
                + schema.describeInputs());
      }
      named = NamedTensors.single(schema.inputs().getFirst().name(), given.only());
    }
    try {
      schema.checkInputs(named.asMap());
    } catch (VouchException e) {
      throw refused(m, e.getMessage());
    }
    return given;
  }

  private static VouchException refused(PublishedModel m, String problem) {
    return new VouchException(
        ErrorCode.BAD_INPUT,
        m.ref() + ": " + problem + "; nothing was sent (no deposit, no request)");
  }

  private void printOnChain(
      PrintWriter out, OnChainRequest h, OnChainResult r, PublishedSignatures.Lookup signature) {
    if (json) {
      ObjectNode n = ResultFile.toJson(h, r, connection.config().deployment());
      putLabels(n, signature, r.outputs());
      out.println(n.toPrettyString());
      return;
    }
    out.printf(
        "submitted  by %s in %s (output hash checked against the hub's record)%n",
        r.node(), r.submitTransaction());
    printOutputs(out, "output     ", r.outputs(), signature);
    out.printf("finality   %s%n", r.finality());
    r.proofVerification().ifPresent(v -> out.printf("verified   %s%n", v));
    r.verification().ifPresent(v -> VerificationText.print(out, "on chain   ", "           ", v));
    r.finalizeTransaction().ifPresent(t -> out.printf("finalized  in %s%n", t));
    r.settlement()
        .ifPresent(s ->
            out.printf(
                "settled    node %s wei, model fee %s wei, refund %s wei%n",
                s.nodePaidWei(), s.modelFeeWei(), s.refundWei()));
  }

  private static Bytes32 randomId() {
    byte[] id = new byte[32];
    new SecureRandom().nextBytes(id);
    return Bytes32.wrap(id);
  }

  /**
   * Each output's values, and for an output the model labels its predicted class by name ({@code
   * label order_status}); without labels a single output also shows its argmax.
   */
  private static void printOutputs(
      PrintWriter out, String label, NamedTensors outputs, PublishedSignatures.Lookup signature) {
    String indent = " ".repeat(label.length());
    boolean first = true;
    for (var e : outputs.asMap().entrySet()) {
      Tensor t = e.getValue();
      String name =
          outputs.size() == 1 && e.getKey().equals(NamedTensors.LONE) ? "" : e.getKey() + " ";
      List<String> predicted = predicted(signature, outputs, e.getKey());
      String argmax =
          outputs.size() == 1 && predicted.isEmpty() && t.elementCount() > 0
              ? "   argmax=" + t.argmax()
              : "";
      out.printf("%s%s%s%s%n", first ? label : indent, name, TensorText.of(t), argmax);
      if (!predicted.isEmpty()) {
        out.printf(
            "%s%s%n",
            ("label" + (predicted.size() > 1 ? "s" : "") + " ").length() <= label.length()
                ? padRight("label" + (predicted.size() > 1 ? "s" : ""), label.length())
                : indent,
            String.join(", ", predicted));
      }
      first = false;
    }
  }

  private static String padRight(String s, int width) {
    return s + " ".repeat(Math.max(1, width - s.length()));
  }

  /**
   * The predicted class names of one output (one per row); empty without labels. A lone output
   * tensor (the on-chain path decodes one unnamed) is matched to the model's only output.
   */
  private static List<String> predicted(
      PublishedSignatures.Lookup signature, NamedTensors outputs, String name) {
    if (signature.signature().isEmpty()) {
      return List.of();
    }
    ModelSignature sig = signature.signature().get();
    return sig.predictedLabels(outputName(signature, name), outputs.get(name));
  }

  /** The model's name for an output: a lone tensor is the model's only output. */
  private static String outputName(PublishedSignatures.Lookup signature, String name) {
    if (name.equals(NamedTensors.LONE)
        && signature.signature().isPresent()
        && signature.signature().get().schema().outputs().size() == 1) {
      return signature.signature().get().schema().outputs().getFirst().name();
    }
    return name;
  }

  /** {@code "labels": {"logits": ["order_status"]}} and, for one label in all, {@code "label"}. */
  private static void putLabels(
      ObjectNode n, PublishedSignatures.Lookup signature, NamedTensors outputs) {
    ObjectNode labels = JSON.createObjectNode();
    List<String> all = new ArrayList<>();
    for (String name : outputs.names()) {
      List<String> predicted = predicted(signature, outputs, name);
      if (!predicted.isEmpty()) {
        ArrayNode a = labels.putArray(outputName(signature, name));
        predicted.forEach(a::add);
        all.addAll(predicted);
      }
    }
    if (!all.isEmpty()) {
      n.set("labels", labels);
      if (all.size() == 1) {
        n.put("label", all.getFirst());
      }
    }
  }

  private NamedTensors readInput() {
    if (input.text != null) {
      return NamedTensors.lone(HashedBagOfWords.withDefaultBuckets().toTensor(input.text));
    }
    return CliInputs.read(input.json, input.file);
  }
}
