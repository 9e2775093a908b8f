package io.vouch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.chain.VouchDeployment;
import io.vouch.cli.options.ConnectionOptions;
import io.vouch.cli.options.TeeTrustOptions;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.onchain.Finality;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vouch verify FILE}: checks a result someone handed you, against the chain. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a result file (from vouch infer --json) against the chain.",
      "A direct result: the model is published and allows the level, the hashes match the"
          + " tensors, and the receipt is signed in this chain's and hub's domain by a staked node."
          + " An on-chain result (vouch infer --on-chain --json): the hub's record of the request"
          + " has a result for the same model, level, input, node and output. TEE: signed by an active"
          + " enclave key of that node whose attestation document verifies under --nitro-root, or a"
          + " devnet's development root.",
      "Exit 0 only when it verifies; 1 when it does not (or the network cannot be reached); 2"
          + " when the file is not a result file."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch infer --model my-model@1 --input-file x.json --json > r.json",
      "  vouch verify r.json",
      "  vouch verify r.json --json",
      "  vouch verify r.json --rpc http://127.0.0.1:8545 --deployment deployment.json"
    })
public final class VerifyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();
  @CommandLine.Mixin TeeTrustOptions tee = new TeeTrustOptions();

  @Parameters(index = "0", paramLabel = "FILE", description = "Result JSON.")
  Path file;

  @CommandLine.Option(names = "--json", description = "Print {\"valid\": …, \"reason\": …}.")
  boolean json;

  private void report(boolean valid, String reason) {
    if (json) {
      var o = new ObjectMapper().createObjectNode();
      o.put("valid", valid);
      o.put("reason", reason);
      spec.commandLine().getOut().println(o.toPrettyString());
    } else {
      spec.commandLine().getOut().println((valid ? "VALID: " : "INVALID: ") + reason);
    }
  }

  @Override
  public Integer call() {
    JsonNode node = CliJson.read(file);
    ResultFile.Result result;
    try {
      result = ResultFile.fromJson(node);
    } catch (VouchException e) {
      throw new VouchException(e.code(), file + ": " + e.getMessage(), e);
    }
    try (VouchClient vouch = connection.connect(tee)) {
      String what =
          switch (result) {
            case ResultFile.Direct d -> {
              InferenceOutcome v = vouch.verify(d.outcome());
              yield v.verification() instanceof InferenceOutcome.Verification.ClientVerified c
                  ? c.what()
                  : "verified";
            }
            case ResultFile.OnChain o -> onChain(vouch, o);
          };
      report(true, what);
      return ExitCodes.OK;
    } catch (VouchException e) {
      if (e.code() != ErrorCode.VERIFICATION_FAILED) {
        throw e; // not a verdict on the result: the network, the key, the deployment
      }
      report(false, e.getMessage());
      return ExitCodes.FAILED;
    }
  }

  private String onChain(VouchClient vouch, ResultFile.OnChain o) {
    VouchDeployment d = connection.config().deployment();
    if (o.chainId() != d.chainId() || !o.hub().equals(d.inferenceHub())) {
      throw new VouchException(
          ErrorCode.VERIFICATION_FAILED,
          "the result is from chain "
              + o.chainId()
              + ", InferenceHub "
              + o.hub()
              + "; this network is chain "
              + d.chainId()
              + ", InferenceHub "
              + d.inferenceHub());
    }
    Finality f =
        vouch.verifyOnChain(
            o.requestId(), o.modelId(), o.level(), o.inputs(), o.outputs(), o.node());
    return "on chain: request #"
        + o.requestId()
        + " "
        + f
        + (f == Finality.FINALIZED ? "" : " (challenge window still open)")
        + "; model, level, input, node and output hash match the hub's record";
  }
}
