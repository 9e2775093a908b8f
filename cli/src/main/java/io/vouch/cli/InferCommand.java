package io.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.error.VouchException;
import io.vouch.core.json.ReceiptJson;
import io.vouch.core.json.TensorJson;
import io.vouch.core.tensor.Tensor;
import io.vouch.core.text.HashedBagOfWords;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.direct.NodeClient;
import io.vouch.sdk.verify.ResultVerifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vouch infer}: one inference on the direct path, verified locally before it is printed. */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Run a model on a node (direct path) and verify the signed receipt locally.",
      "Exit 0 when the result verified, 1 when the node failed or verification failed, 2 on bad input."
    })
public final class InferCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--node",
      required = true,
      description = "Node base URL, e.g. http://127.0.0.1:7001")
  String node;

  @Option(names = "--model", required = true, description = "name@version of the model.")
  String model;

  @Option(names = "--level", defaultValue = "vanilla", description = "vanilla, tee or zkml.")
  String level;

  @Option(
      names = "--chain-id",
      required = true,
      description = "Chain id the receipt must be signed for.")
  long chainId;

  @Option(
      names = "--hub",
      required = true,
      description = "InferenceHub address the receipt must be signed for.")
  String hub;

  @Option(
      names = "--trusted-node",
      description =
          "Address the receipt must be signed by. Without it (and until the registry check lands in"
              + " this command) only hashes, ids, domain and signature validity are checked.")
  String trustedNode;

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

  @Option(names = "--timeout", defaultValue = "PT10S", description = "ISO-8601 duration.")
  Duration timeout;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Tensor tensor;
    Bytes32 modelId;
    VerificationLevel lvl;
    Eip712Domain domain;
    try {
      tensor = readInput();
      modelId = ModelId.ofRef(model);
      lvl = VerificationLevel.parse(level);
      domain = Eip712Domain.of(chainId, Address.fromHex(hub));
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("vouch infer: " + e.getMessage());
      return ExitCodes.FATAL;
    }
    byte[] id = new byte[32];
    new SecureRandom().nextBytes(id);
    Bytes32 requestId = Bytes32.wrap(id);
    NodeClient client = new NodeClient(NodeClient.defaultHttpClient(), node);
    InferenceOutcome outcome;
    try {
      outcome = client.infer(model, tensor, lvl, requestId, timeout);
      Address expected = trustedNode == null ? null : Address.fromHex(trustedNode);
      outcome =
          new ResultVerifier(domain, a -> expected == null || expected.equals(a))
              .verify(outcome, requestId, modelId);
    } catch (VouchException e) {
      err.println("vouch infer: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("requestId", requestId.toHex());
      o.put("model", model);
      o.put("modelId", modelId.toHex());
      o.set("output", TensorJson.toJson(outcome.output()));
      o.put("argmax", outcome.output().argmax());
      o.set("receipt", ReceiptJson.toJson(outcome.receipt()));
      o.put("verified", verificationText(outcome));
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
    } else {
      out.printf("model     %s (%s)%n", model, modelId);
      out.printf("output    %s argmax=%d%n", outcome.output(), outcome.output().argmax());
      out.printf("node      %s via %s%n", outcome.node(), node);
      out.printf(
          "receipt   seq=%d signature=%s%n",
          outcome.receipt().receipt().sequence(), outcome.receipt().signature());
      out.printf("verified  %s%n", verificationText(outcome));
    }
    return ExitCodes.OK;
  }

  private String verificationText(InferenceOutcome o) {
    String checked =
        o.verification() instanceof InferenceOutcome.Verification.ClientVerified v
            ? v.what()
            : "no";
    return trustedNode == null
        ? checked + " (signer not checked against a trusted node or registry)"
        : checked;
  }

  private Tensor readInput() throws java.io.IOException {
    if (input.text != null) {
      return HashedBagOfWords.withDefaultBuckets().toTensor(input.text);
    }
    String text = input.json != null ? input.json : Files.readString(input.file);
    return TensorJson.fromJson(JSON.readTree(text));
  }
}
