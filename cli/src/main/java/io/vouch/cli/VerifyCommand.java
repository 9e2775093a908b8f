package io.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.error.VouchException;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClient;
import java.io.IOException;
import java.nio.file.Files;
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
      "Verify a result file (as printed by `vouch infer --json`): the model is published and",
      "allows the level, the hashes match the tensors, the receipt is signed in this chain's and",
      "hub's domain by a staked node (TEE: by an active enclave key of that node whose attestation",
      "document verifies under --nitro-root, or a devnet's development root). Exit 0 only when it",
      "verifies."
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
    InferenceOutcome outcome;
    try {
      outcome = ResultFile.fromJson(new ObjectMapper().readTree(Files.readString(file)));
    } catch (IOException | RuntimeException e) {
      spec.commandLine()
          .getErr()
          .println("vouch verify: " + file + " is not a result file: " + e.getMessage());
      return ExitCodes.FATAL;
    }
    try (VouchClient vouch = connection.connect(tee)) {
      InferenceOutcome v = vouch.verify(outcome);
      report(
          true,
          v.verification() instanceof InferenceOutcome.Verification.ClientVerified c
              ? c.what()
              : "verified");
      return ExitCodes.OK;
    } catch (VouchException e) {
      report(false, e.getMessage());
      return ExitCodes.FAILED;
    }
  }
}
