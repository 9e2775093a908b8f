package io.vouch.cli.node;

import io.vouch.cli.ExitCodes;
import io.vouch.cli.Failure;
import io.vouch.cli.options.NodeChainOptions;
import io.vouch.cli.options.NodeHttpOptions;
import io.vouch.cli.options.NodeKeyOption;
import io.vouch.cli.options.NodeModelOptions;
import io.vouch.cli.options.NodeTeeOptions;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeRole;
import io.vouch.node.assembly.ChainConfig;
import io.vouch.node.assembly.DevnetFault;
import io.vouch.node.assembly.NodeAssembly;
import io.vouch.node.assembly.NodeSetup;
import io.vouch.node.journal.ForeignJournalException;
import io.vouch.sdk.models.AuditTerms;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vouch node run}: starts the inference role and serves until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Vouch node: serve ONNX models over the HTTP API with signed receipts.",
      "With --deployment and --rpc it also registers on chain (staking), serves the models"
          + " published in the ModelRegistry (fetched from --model-hub by CID) and works the"
          + " requests the InferenceHub assigns to it, journaled in --data-dir. A journal belongs"
          + " to one chain and deployment: a node started against another one refuses to start"
          + " (exit 2) and says which folder to move aside.",
      "Every option can also come from VOUCH_<OPTION> (e.g. VOUCH_RPC) or VOUCH_CONFIG_FILE."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch node run --key 0x<64 hex> --chain-id 31337 --hub 0x<40 hex> \\",
      "      --model m.onnx=my-model@1",
      "  vouch node run --key 0x<64 hex> --rpc http://127.0.0.1:8545 \\",
      "      --deployment deployment.json --model-hub http://127.0.0.1:8081 \\",
      "      --data-dir node-data"
    })
public final class NodeRunCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin NodeKeyOption key = new NodeKeyOption();
  @CommandLine.Mixin NodeHttpOptions http = new NodeHttpOptions();
  @CommandLine.Mixin NodeChainOptions chain = new NodeChainOptions();
  @CommandLine.Mixin NodeModelOptions models = new NodeModelOptions();
  @CommandLine.Mixin NodeTeeOptions tee = new NodeTeeOptions();

  @Option(
      names = {"--role", "--roles"},
      defaultValue = "inference",
      paramLabel = "ROLE[,ROLE]",
      description =
          "inference (execute requests), validator (judge results on court committees) or"
              + " inference,validator; needs --rpc and --deployment for validator.")
  String roles;

  @Option(
      names = "--challenge-rate",
      defaultValue = "10%",
      paramLabel = "RATE",
      description =
          "Validator role: the share of VANILLA results not selected for audit that this"
              + " validator re-executes during their challenge window, challenging with the"
              + " court's bond a result that does not match, as a percentage (10%%, 2.5%%) or in"
              + " basis points (250bps); 0%% challenges nothing (default: 10%%).")
  String challengeRate;

  @Option(names = "--json", description = "Print the startup line as JSON.")
  boolean json;

  /**
   * Set by {@code vouch devnet up --faulty-nodes N} only: the share of requests this node answers
   * wrongly on purpose. Hidden, and refused unless the node is on a local devnet ({@link
   * DevnetFault#refusalFor}).
   */
  @Option(names = "--devnet-faulty-share", hidden = true)
  Double devnetFaultyShare;

  /** Counted down by the shutdown hook (or a test) to stop the node. */
  final CountDownLatch stop = new CountDownLatch(1);

  volatile NodeApp app;

  @Override
  public Integer call() throws Exception {
    NodeSetup setup;
    NodeApp node;
    try {
      setup = setup();
      node = NodeAssembly.assemble(setup, Clock.systemUTC());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Failure.of(ErrorCode.BAD_INPUT, e.getMessage()).report(spec.commandLine(), null, e);
    }
    try {
      node.start();
    } catch (ForeignJournalException e) {
      return Failure.of(ErrorCode.BAD_INPUT, e.getMessage()).report(spec.commandLine(), null, e);
    } catch (VouchException e) {
      throw e;
    } catch (Exception e) {
      Failure f = Failure.of(e);
      return Failure.of(
              f.exitCode() == ExitCodes.FATAL ? ErrorCode.BAD_INPUT : ErrorCode.NODE_UNAVAILABLE,
              "could not start: " + f.message())
          .report(spec.commandLine(), null, e);
    }
    app = node;
    serveUntilStopped(node, setup);
    return ExitCodes.OK;
  }

  /**
   * What the option groups say, as the node's configuration; a wrong value throws {@link
   * IllegalArgumentException} naming the flag, the first group's first.
   */
  NodeSetup setup() {
    Secp256k1.KeyPair nodeKey = key.toKeyPair();
    ChainConfig chainConfig = chain.toConfig(nodeKey.address());
    Set<NodeRole> nodeRoles = NodeRole.parse(roles);
    return new NodeSetup(
        nodeKey,
        http.toConfig(),
        chainConfig,
        models.toConfig(),
        tee.toConfig(chainConfig, nodeRoles),
        nodeRoles,
        Optional.ofNullable(devnetFaultyShare).map(DevnetFault::new),
        nodeRoles.contains(NodeRole.VALIDATOR) ? tee.validatorTrust() : null,
        challengeRateBps());
  }

  private int challengeRateBps() {
    try {
      return AuditTerms.parseRate(challengeRate);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--challenge-rate: " + e.getMessage().replace("the audit rate", "the challenge rate"));
    }
  }

  /**
   * Prints the startup line, then waits for {@link #stop} (a signal's shutdown hook, or a test).
   */
  private void serveUntilStopped(NodeApp node, NodeSetup setup) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    // The JVM halts once its shutdown hooks return: the hook waits for the graceful stop.
    Thread hook =
        new Thread(
            () -> {
              System.err.println("vouch node: stopping (signal)");
              stop.countDown();
              try {
                stopped.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vouch-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.printf(
          "{\"node\":\"%s\",\"url\":\"%s\",\"chainId\":%d}%n",
          setup.key().address(), node.baseUrl(), setup.chain().chainId());
    } else {
      out.printf(
          "node %s serving at %s (chain %d, hub %s)%n",
          setup.key().address(), node.baseUrl(), setup.chain().chainId(), setup.chain().hub());
    }
    if (setup.fault().isPresent() && !json) {
      out.printf(
          "FAULTY devnet node: answers %.0f %% of VANILLA and ZKML requests with a wrong output%n",
          setup.fault().get().share() * 100);
    }
    out.flush();
    stop.await();
    node.stop();
    stopped.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting; nothing to remove.
    }
  }
}
