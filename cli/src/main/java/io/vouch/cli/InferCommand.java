package io.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.VouchException;
import io.vouch.core.json.TensorJson;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
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
      "Run a model and verify the result: directly at a node (planned from the on-chain registry,",
      "with fallback) or through the InferenceHub contract with --on-chain.",
      "Exit 0 when the result verified, 1 when nodes or verification failed, 2 on bad input."
    })
public final class InferCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();
  @CommandLine.Mixin TeeTrustOptions tee = new TeeTrustOptions();

  @Option(names = "--model", required = true, description = "name@version (or name: latest).")
  String model;

  @Option(names = "--level", defaultValue = "vanilla", description = "Weakest acceptable level.")
  String level;

  @Option(
      names = "--max-fee-wei",
      defaultValue = "10000000000000000",
      description = "The most you pay for this request.")
  BigInteger maxFeeWei;

  @Option(
      names = "--deposit-wei",
      description =
          "Top up your deposit in the hub first (direct path: each node is paid by vouchers against a channel funded from it).")
  BigInteger depositWei;

  @Option(names = "--timeout", defaultValue = "PT30S", description = "ISO-8601 duration.")
  Duration timeout;

  @Option(names = "--on-chain", description = "Request through the InferenceHub (fee escrowed).")
  boolean onChain;

  @Option(
      names = "--fast",
      description = "On chain: return at submission (not final yet) instead of at finalization.")
  boolean fast;

  @Option(
      names = "--node",
      description =
          "Direct path to this node URL only, skipping the planner (its signer must still be staked).")
  String node;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(
        names = "--input",
        description = "Tensor JSON: {\"dtype\":…,\"shape\":[…],\"data\":[…]}.")
    String json;

    @Option(names = "--input-file", description = "File holding tensor JSON.")
    Path file;

    @Option(
        names = "--text",
        description =
            "Text, featurized with the hashed bag of words (vouch-hashed-bow-v1, 512 buckets).")
    String text;
  }

  @Option(names = "--json", description = "Print the result as JSON (vouch verify reads it).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Tensor tensor;
    VerificationLevel lvl;
    try {
      tensor = readInput();
      lvl = VerificationLevel.parse(level);
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("vouch infer: " + e.getMessage());
      return ExitCodes.FATAL;
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
        printOnChain(out, r);
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
        out.printf("output    %s argmax=%d%n", o.output(), o.output().argmax());
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
    } catch (VouchException e) {
      err.println("vouch infer: " + e.getMessage());
      return e.code().httpStatus() == 400 || e.code().httpStatus() == 404
          ? ExitCodes.FATAL
          : ExitCodes.FAILED;
    } catch (IllegalStateException e) {
      err.println("vouch infer: " + e.getMessage());
      return ExitCodes.FAILED;
    }
  }

  private void printOnChain(PrintWriter out, OnChainResult r) {
    if (json) {
      ObjectNode n = JSON.createObjectNode();
      n.put("requestId", r.requestId().toString());
      n.put("modelId", r.modelId().toHex());
      n.set("output", TensorJson.toJson(r.output()));
      n.put("argmax", r.output().argmax());
      n.put("node", r.node().toHex());
      n.put("finality", r.finality().name());
      n.put("requestTx", r.requestTransaction());
      n.put("submitTx", r.submitTransaction());
      r.finalizeTransaction().ifPresent(t -> n.put("finalizeTx", t));
      if (!r.evidenceHash().isZero()) {
        n.put("evidenceHash", r.evidenceHash().toHex());
      }
      r.proofVerification().ifPresent(v -> n.put("verified", v));
      r.settlement()
          .ifPresent(s -> {
            n.put("nodePaidWei", s.nodePaidWei().toString());
            n.put("modelFeeWei", s.modelFeeWei().toString());
            n.put("refundWei", s.refundWei().toString());
          });
      out.println(n.toPrettyString());
      return;
    }
    out.printf("submitted  by %s in %s%n", r.node(), r.submitTransaction());
    out.printf("output     %s argmax=%d (hash checked)%n", r.output(), r.output().argmax());
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

  private Tensor readInput() throws java.io.IOException {
    if (input.text != null) {
      return HashedBagOfWords.withDefaultBuckets().toTensor(input.text);
    }
    String text = input.json != null ? input.json : Files.readString(input.file);
    return TensorJson.fromJson(JSON.readTree(text));
  }
}
