package io.vouch.cli.node;

import io.vouch.chain.VouchDeployment;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.Failure;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.hub.cid.Cid;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.NodeRole;
import io.vouch.node.chain.ModelProvisioner;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.node.journal.ForeignJournalException;
import io.vouch.node.tee.TeeProfile;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import io.vouch.tee.dev.DevRootAuthority;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind.")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "HTTP port; 0 picks a free one.")
  int port;

  @Option(
      names = "--key",
      required = true,
      description = "The node's staked secp256k1 private key (0x + 64 hex digits).")
  String key;

  @Option(names = "--rpc", description = "JSON-RPC URL of the settlement chain.")
  String rpc;

  @Option(names = "--deployment", description = "Deployment JSON (written by `vouch devnet up`).")
  Path deployment;

  @Option(
      names = "--chain-id",
      description = "Chain id (direct path only; else from --deployment).")
  Long chainId;

  @Option(names = "--hub", description = "InferenceHub address (direct path only).")
  String hub;

  @Option(
      names = "--model",
      split = ",",
      paramLabel = "FILE=NAME@VERSION",
      description = "A local ONNX model to serve, with the registry name and version it has.")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--model-hub",
      split = ",",
      description = "Model hub URL(s) to fetch models from.")
  List<URI> modelHubs = new ArrayList<>();

  @Option(
      names = "--serve",
      defaultValue = "all",
      description = "Registry models to serve: 'all' or name@version[,name@version…].")
  String serve;

  @Option(names = "--price-wei", defaultValue = "0", description = "Price per request, in wei.")
  BigInteger priceWei;

  @Option(
      names = "--stake-wei",
      defaultValue = "1000000000000000000",
      description = "Stake to register with, in wei (used once, at first registration).")
  BigInteger stakeWei;

  @Option(names = "--data-dir", description = "Journal folder (default .vouch/node-<address>).")
  Path dataDir;

  @Option(names = "--endpoint", description = "URL to advertise in the registry.")
  String endpoint;

  @Option(names = "--poll-ms", defaultValue = "250", description = "Chain polling interval.")
  long pollMs;

  @Option(
      names = "--max-input-elements",
      defaultValue = "1048576",
      description = "Largest input tensor accepted.")
  long maxInputElements;

  @Option(
      names = "--tee",
      paramLabel = "PROFILE",
      description =
          "Serve the TEE level. Only 'dev' exists: a SIMULATED enclave under the development root"
              + " of --tee-dev-root (no hardware, no isolation; development only). Needs"
              + " --rpc/--deployment.")
  String tee;

  @Option(
      names = "--tee-dev-root",
      paramLabel = "FILE",
      description =
          "DEVELOPMENT ONLY: the devnet's shared enclave root with its private keys (written by"
              + " `vouch devnet up --tee` as <devnet>/tee-dev-root.pem).")
  Path teeDevRoot;

  @Option(
      names = {"--role", "--roles"},
      defaultValue = "inference",
      paramLabel = "ROLE[,ROLE]",
      description =
          "inference (execute requests), validator (judge results on court committees) or"
              + " inference,validator; needs --rpc and --deployment for validator.")
  String roles;

  @Option(names = "--json", description = "Print the startup line as JSON.")
  boolean json;

  /** Counted down by the shutdown hook (or a test) to stop the node. */
  final CountDownLatch stop = new CountDownLatch(1);

  volatile NodeApp app;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    NodeApp node;
    Secp256k1.KeyPair nodeKey;
    long chain;
    Address hubAddress;
    try {
      if (!key.strip().matches("(0x)?[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(
            "--key must be the node's secp256k1 private key, 0x and 64 hex digits");
      }
      nodeKey = Secp256k1.KeyPair.fromPrivateKey(Bytes32.fromHex(key.strip()));
      VouchDeployment d = null;
      if (deployment != null || rpc != null) {
        if (deployment == null || rpc == null) {
          throw new IllegalArgumentException("--rpc and --deployment go together");
        }
        d = VouchDeployment.readFrom(deployment);
        chain = d.chainId();
        hubAddress = d.inferenceHub();
      } else {
        if (chainId == null || hub == null) {
          throw new IllegalArgumentException(
              "give --rpc and --deployment (on chain), or --chain-id and --hub (direct path only)");
        }
        chain = chainId;
        hubAddress = Address.fromHex(hub);
      }
      NodeConfig config =
          new NodeConfig(
              host,
              port,
              nodeKey,
              chain,
              hubAddress,
              maxInputElements,
              NodeConfig.DEFAULT_MAX_BODY_BYTES,
              priceWei);
      if (d != null) {
        Path dir = dataDir != null ? dataDir : Path.of(".vouch", "node-" + nodeKey.address());
        ChainSettings settings =
            new ChainSettings(
                rpc,
                d,
                stakeWei,
                modelHubs,
                serve.equals("all")
                    ? ModelProvisioner.servingAll()
                    : ModelProvisioner.serving(List.of(serve.split(","))),
                dir.resolve("journal.jsonl"),
                Duration.ofMillis(pollMs),
                endpoint);
        settings = settings.withRoles(NodeRole.parse(roles));
        Optional<TeeProfile> teeProfile = teeProfile();
        if (teeProfile.isPresent()) {
          settings = settings.withTee(teeProfile.get());
        }
        node = new NodeApp(config, Clock.systemUTC(), settings);
      } else {
        if (tee != null) {
          throw new IllegalArgumentException(
              "--tee needs --rpc and --deployment: the enclave key is registered on chain");
        }
        if (NodeRole.parse(roles).contains(NodeRole.VALIDATOR)) {
          throw new IllegalArgumentException(
              "--role validator needs --rpc and --deployment: validators judge on chain");
        }
        node = new NodeApp(config, Clock.systemUTC(), ReceiptSigner.SequenceStore.inMemory());
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Failure.of(ErrorCode.BAD_INPUT, e.getMessage()).report(spec.commandLine(), null, e);
    }
    try {
      for (String m : models) {
        node.load(load(m));
      }
    } catch (RuntimeException e) {
      node.stop();
      throw e;
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
    CountDownLatch stopped = new CountDownLatch(1);
    // The JVM halts once its shutdown hooks return: the hook waits for the graceful stop.
    Thread hook =
        new Thread(
            () -> {
              System.err.println("vouch node: stopping (signal)");
              stop.countDown();
              try {
                stopped.await(30, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vouch-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (json) {
      out.printf(
          "{\"node\":\"%s\",\"url\":\"%s\",\"chainId\":%d}%n",
          nodeKey.address(), node.baseUrl(), chain);
    } else {
      out.printf(
          "node %s serving at %s (chain %d, hub %s)%n",
          nodeKey.address(), node.baseUrl(), chain, hubAddress);
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
    return ExitCodes.OK;
  }

  /** The TEE profile of {@code --tee}; only the development simulator exists. */
  private Optional<TeeProfile> teeProfile() {
    if (tee == null) {
      if (teeDevRoot != null) {
        throw new IllegalArgumentException("--tee-dev-root is used only with --tee dev");
      }
      return Optional.empty();
    }
    if (!tee.equals("dev")) {
      throw new IllegalArgumentException(
          "--tee takes 'dev' (the development enclave simulator), got '"
              + tee
              + "'; no hardware enclave binding exists yet");
    }
    if (teeDevRoot == null) {
      throw new IllegalArgumentException(
          "--tee dev needs --tee-dev-root FILE: the devnet's development root"
              + " (<devnet>/tee-dev-root.pem, written by `vouch devnet up --tee`)");
    }
    if (!Files.isRegularFile(teeDevRoot)) {
      throw new IllegalArgumentException("--tee-dev-root " + teeDevRoot + " does not exist");
    }
    return Optional.of(TeeProfile.development(DevRootAuthority.readFrom(teeDevRoot)));
  }

  private LoadedModel load(String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException(
          "--model takes FILE=NAME@VERSION (e.g. model.onnx=support-intents@1), got '"
              + spec
              + "'");
    }
    Path file = Path.of(spec.substring(0, eq));
    String ref = spec.substring(eq + 1);
    Bytes32 modelId = ModelId.ofRef(ref);
    int at = ref.lastIndexOf('@');
    OnnxModelFile onnx = OnnxModelFile.read(file);
    return new LoadedModel(
        modelId,
        ref.substring(0, at),
        Integer.parseInt(ref.substring(at + 1)),
        Cid.ofBytes(onnx.bytes()).toString(),
        Set.of(VerificationLevel.VANILLA),
        priceWei,
        new OnnxModelRunner(OnnxRuntimeEngine.load(onnx, EngineOptions.DEFAULT)));
  }
}
