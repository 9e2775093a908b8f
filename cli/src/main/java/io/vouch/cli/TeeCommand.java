package io.vouch.cli;

import io.vouch.cli.tee.VerifyAttestationCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vouch tee …}: the TEE level's tools. */
@Command(
    name = "tee",
    mixinStandardHelpOptions = true,
    description = "TEE attestation tools.",
    subcommands = {VerifyAttestationCommand.class})
public final class TeeCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
