package io.vouch.cli;

import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.core.tensor.Tensor;
import io.vouch.core.text.HashedBagOfWords;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.direct.NodeClient;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainRequest;
import io.vouch.sdk.onchain.OnChainResult;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vouch infer}: one inference, on the direct path (planned across the registry's nodes, or
 * at one {@code --node}) or on chain ({@code --on-chain}), verified before it is printed.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Run a model and verify the result, directly at a node or on chain.",
      "The direct path plans a level and nodes from the on-chain registry and falls back to the"
          + " next node when one is down; nodes are paid by vouchers drawn on your deposit"
          + " (--deposit-wei tops it up). With --on-chain the request goes through the"
          + " InferenceHub contract, the fee escrowed, and the result is read back from the chain.",
      "Exit 0 when the result verified; 1 when no node answered, the chain or a node was"
          + " unreachable or too slow, or the result did not verify; 2 on bad input (malformed"
          + " tensor, unknown model, a level the model does not allow, an input over the node's"
          + " limit)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch infer --model my-model@1 --deposit-wei 10000000000000000 \\",
      "      --input '{\"dtype\":\"float32\",\"shape\":[1,4],\"data\":[1,2,3,4]}'",
      "  vouch infer --model my-model@1 --input-file x.json --json > r.json",
      "  vouch infer --model support-intents@1 --text \"where is my order\" --level tee",
      "  vouch infer --model support-intents@1 --text \"where is my order\" --on-chain",
      "  vouch infer --model my-model@1 --input-file x.json --timeout 5s \\",
      "      --node http://127.0.0.1:8080"
    })
public final class InferCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();
  @CommandLine.Mixin TeeTrustOptions tee = new TeeTrustOptions();

  @Option(
      names = "--model",
      required = true,
      paramLabel = "REF",
      description = "name@version, or a bare name for its latest version.")
  String model;

  @Option(
      names = "--level",
      defaultValue = "vanilla",
      paramLabel = "LEVEL",
      completionCandidates = Levels.class,
      description =
          "Weakest acceptable level: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String level;

  @Option(
      names = "--max-fee-wei",
      defaultValue = "10000000000000000",
      paramLabel = "WEI",
      description = "The most you pay for this request (default: ${DEFAULT-VALUE}).")
  BigInteger maxFeeWei;

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
      description = "How long to wait, e.g. 500ms, 5s, 2m (default: ${DEFAULT-VALUE}).")
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

  /** The values {@code --level} takes. */
  static final class Levels implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(VerificationLevel.values())
          .map(l -> l.name().toLowerCase(java.util.Locale.ROOT))
          .iterator();
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    NamedTensors tensor = readInput();
    VerificationLevel lvl;
    try {
      lvl = VerificationLevel.parse(level);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--level: " + e.getMessage());
    }
    try (VouchClient vouch = connection.connect(tee)) {
      if (depositWei != null) {
        var d = vouch.payments().deposit(depositWei);
        if (!json) {
          out.printf(
              "deposited  %s wei (balance %s wei) in %s%n",
              depositWei, d.balanceWei(), d.transactionHash());
        }
      }
      if (onChain) {
        OnChainRequest h =
            vouch.inferOnChain(
                model,
                tensor,
                OnChainOptions.defaults(maxFeeWei).withLevel(lvl).withFastDelivery(fast));
        if (!json) {
          out.printf("requested  #%s in %s%n", h.requestId(), h.transactionHash());
          out.flush();
        }
        OnChainResult r = vouch.awaitResult(h, timeout);
        printOnChain(out, h, r);
        return ExitCodes.OK;
      }
      InferenceOutcome o;
      if (node != null) {
        Bytes32 id = randomId();
        InferenceOutcome raw;
        try (NodeClient client = new NodeClient(node)) {
          raw = client.infer(model, tensor, lvl, id, timeout);
        }
        o = vouch.verify(raw);
      } else {
        o =
            vouch.infer(
                model,
                tensor,
                Requirements.defaults()
                    .withMinLevel(lvl)
                    .withMaxFeeWei(maxFeeWei)
                    .withMaxLatency(timeout));
      }
      if (json) {
        out.println(ResultFile.toJson(o).toPrettyString());
      } else {
        out.printf("model     %s (%s)%n", o.modelRef(), o.modelId());
        printOutputs(out, "output    ", o.outputs());
        out.printf("node      %s via %s%n", o.node(), o.nodeEndpoint());
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

  private void printOnChain(PrintWriter out, OnChainRequest h, OnChainResult r) {
    if (json) {
      out.println(ResultFile.toJson(h, r, connection.config().deployment()).toPrettyString());
      return;
    }
    out.printf("submitted  by %s in %s%n", r.node(), r.submitTransaction());
    printOutputs(out, "output     ", r.outputs());
    out.printf("           (hash checked against the hub's record)%n");
    out.printf("finality   %s%n", r.finality());
    r.proofVerification().ifPresent(v -> out.printf("verified   %s%n", v));
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

  /** One output as before; several one per line, by name. */
  private static void printOutputs(PrintWriter out, String label, NamedTensors outputs) {
    if (outputs.size() == 1) {
      Tensor t = outputs.only();
      out.printf("%s%s argmax=%d%n", label, t, t.argmax());
      return;
    }
    String indent = " ".repeat(label.length());
    boolean first = true;
    for (var e : outputs.asMap().entrySet()) {
      out.printf("%s%s = %s%n", first ? label : indent, e.getKey(), e.getValue());
      first = false;
    }
  }

  private NamedTensors readInput() {
    if (input.text != null) {
      return NamedTensors.lone(HashedBagOfWords.withDefaultBuckets().toTensor(input.text));
    }
    if (input.file != null) {
      return CliInputs.fromJson(CliJson.read(input.file), input.file.toString());
    }
    return CliInputs.fromOptions(input.json);
  }
}
