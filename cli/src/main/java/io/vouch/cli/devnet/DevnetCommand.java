package io.vouch.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.options.JsonOutputOption;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.ModelId;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vouch devnet up|down|status}: a local network on this machine. */
@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    description = {
      "A local Vouch network: anvil, the contracts, a model hub and N nodes.",
      "Each devnet up starts a new chain in its folder: the node data (journals, receipt logs),"
          + " model hub storage and deployment of a previous run there are removed first."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch devnet up --nodes 3",
      "  vouch devnet status --json",
      "  vouch devnet down",
      "  vouch devnet up --tee --dir /tmp/tee-devnet"
    },
    subcommands = {
      DevnetCommand.Up.class,
      DevnetCommand.Down.class,
      DevnetCommand.Status.class,
      DevnetCommand.Supervise.class
    })
public final class DevnetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every devnet command shares. */
  static final class Where {
    @Option(
        names = "--dir",
        defaultValue = ".vouch/devnet",
        paramLabel = "DIR",
        description =
            "Devnet folder: state, logs, node data, hub storage (default: ${DEFAULT-VALUE}).")
    Path dir;
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = {
        "Start anvil, deploy the contracts, start the model hub and N nodes.",
        "Returns once everything is ready; the devnet keeps running (a supervisor process) until"
            + " vouch devnet down. A new chain every time: what a previous run left in --dir (node"
            + " journals, hub storage) is removed first."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch devnet up --nodes 3",
        "  vouch devnet up --nodes 1 --json",
        "  vouch devnet up --validators 0   # no court: results finalize by their window",
        "  vouch devnet up --faulty-nodes 1   # a node that lies on half its requests"
      })
  static final class Up implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Where where = new Where();

    @Option(
        names = "--nodes",
        defaultValue = "3",
        paramLabel = "N",
        description = "Number of inference nodes, 1 to 8 (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
        names = "--validators",
        defaultValue = "3",
        paramLabel = "N",
        description =
            "Number of validator processes (vouch node run --role validator, 1 ETH stake each):"
                + " 0, or 3 to 8 (default: ${DEFAULT-VALUE}). From 3 the VerificationCourt sits:"
                + " every ZKML result and the VANILLA results its audit lottery selects are judged"
                + " by a committee of 3 (quorum 2 of 3). With 0 no court case is drawn: results"
                + " finalize after the challenge window, checked on chain by no one.")
    int validators;

    @Option(
        names = "--challenge-window",
        defaultValue = "5s",
        paramLabel = "DURATION",
        description =
            "Challenge window of VANILLA results, e.g. 5s, 2m (default: ${DEFAULT-VALUE}).")
    Duration challengeWindow;

    @Option(
        names = "--faulty-nodes",
        defaultValue = "0",
        paramLabel = "N",
        description =
            "Also start N faulty inference nodes, 0 to 3 (default: ${DEFAULT-VALUE}): registered"
                + " and staked like the others, but answering --faulty-share of their VANILLA and"
                + " ZKML requests with a wrong output (the argmax moved), still signed, for the"
                + " court to catch. Devnet only: a node outside a local devnet refuses it.")
    int faultyNodes;

    @Option(
        names = "--faulty-share",
        defaultValue = "0.5",
        paramLabel = "FRACTION",
        description =
            "Share of its requests a faulty node answers wrongly, above 0 and at most 1 (default:"
                + " ${DEFAULT-VALUE}); which ones is drawn from the request id.")
    double faultyShare;

    @Option(
        names = "--tee",
        description =
            "Run the nodes with the TEE level, DEVELOPMENT SIMULATOR only, under the devnet's"
                + " DEV-ONLY enclave root (<dir>/tee-dev-root.pem, private keys included, written"
                + " by every devnet for its validators); its node measurement is allowed on the"
                + " NodeRegistry. No hardware, no isolation.")
    boolean tee;

    @Option(
        names = "--json",
        description = "Print the devnet state as JSON (errors too, on stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (nodes < 1 || nodes > 8) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--nodes must be 1 to 8, got " + nodes);
      }
      if (validators != 0
          && (validators < DevnetSupervisor.DEVNET_COURT_VALIDATORS || validators > 8)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--validators must be 0 (no court) or 3 to 8 (the devnet's court sits from 3"
                + " validators, a full committee), got "
                + validators);
      }
      if (faultyNodes < 0 || faultyNodes > DevnetSupervisor.MAX_FAULTY) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--faulty-nodes must be 0 to " + DevnetSupervisor.MAX_FAULTY + ", got " + faultyNodes);
      }
      if (!(faultyShare > 0 && faultyShare <= 1)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--faulty-share must be above 0 and at most 1 (a fraction of requests), got "
                + faultyShare);
      }
      Path dir = where.dir.toAbsolutePath();
      if (DevnetState.exists(dir)) {
        DevnetState s = DevnetState.read(dir);
        if (ProcessHandle.of(s.supervisorPid()).map(ProcessHandle::isAlive).orElse(false)) {
          throw new VouchException(
              ErrorCode.BAD_INPUT,
              "a devnet is already running at "
                  + dir
                  + "; stop it first: vouch devnet down"
                  + (dir.endsWith(".vouch/devnet") ? "" : " --dir " + dir));
        }
        Files.delete(DevnetState.file(dir)); // left behind by a crashed supervisor
      }
      Files.createDirectories(dir);
      Path log = dir.resolve("supervisor.log");
      List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        cmd.add("/usr/bin/setsid"); // its own session: Ctrl-C in this terminal won't reach it
      }
      cmd.addAll(
          DevnetSupervisor.javaCommand(
              "devnet",
              "supervise",
              "--dir",
              dir.toString(),
              "--nodes",
              String.valueOf(nodes),
              "--validators",
              String.valueOf(validators),
              "--challenge-window",
              challengeWindow.toString(),
              "--faulty-nodes",
              String.valueOf(faultyNodes),
              "--faulty-share",
              String.valueOf(faultyShare)));
      if (tee) {
        cmd.add("--tee");
      }
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int printed = 0;
      long started = System.nanoTime();
      long lastLine = started;
      // up to 300 s: on a busy 2-core machine nodes and validators are up to 7 JVMs starting
      for (int i = 0; i < 3000; i++) {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        for (; printed < lines.size(); printed++) {
          if (!json && lines.get(printed).startsWith("devnet: ")) {
            out.println(lines.get(printed));
            out.flush();
            lastLine = System.nanoTime();
          }
        }
        if (!json && System.nanoTime() - lastLine > Duration.ofSeconds(15).toNanos()) {
          lastLine = System.nanoTime();
          out.printf(
              "devnet: still starting (%d s; details in %s)%n",
              (lastLine - started) / 1_000_000_000, log);
          out.flush();
        }
        if (DevnetState.exists(dir)) {
          DevnetState s = DevnetState.read(dir);
          if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(s));
          } else {
            out.printf("devnet up: chain %d at %s%n", s.deployment().chainId(), s.rpcUrl());
            out.printf("  InferenceHub   %s%n", s.deployment().inferenceHub());
            out.printf("  NodeRegistry   %s%n", s.deployment().nodeRegistry());
            out.printf("  ModelRegistry  %s%n", s.deployment().modelRegistry());
            out.printf("  model hub      %s%n", s.modelHubUrl());
            for (DevnetState.NodeProcess n : s.nodes()) {
              out.printf(
                  "  node %s  %s  (pid %d)%s%n", n.address(), n.url(), n.pid(), faultyNote(n));
            }
            printCourt(out, s);
            out.printf("  state          %s%n", DevnetState.file(dir));
            out.printf(
                "  shell          . %s   (DEVNET_NODE, DEVNET_RPC, …: for curl)%n",
                DevnetState.envFile(dir));
          }
          return ExitCodes.OK;
        }
        if (!p.isAlive()) {
          throw new VouchException(
              ErrorCode.NODE_UNAVAILABLE,
              "the devnet failed to start; the end of " + log + ":\n" + DevnetSupervisor.tail(log));
        }
        Thread.sleep(100);
      }
      p.destroy();
      throw new VouchException(
          ErrorCode.NODE_UNAVAILABLE, "the devnet was not ready after 300 s; see " + log);
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop the nodes, the model hub and anvil (the chain is gone afterwards).",
      footerHeading = "%nExamples:%n",
      footer = {"  vouch devnet down", "  vouch devnet down --dir /tmp/tee-devnet --json"})
  static final class Down implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Where where = new Where();

    @Option(names = "--json", description = "Print {\"stoppedNodes\": N, \"dir\": …}.")
    boolean json;

    private void report(int nodes, Path dir, String text) {
      spec.commandLine()
          .getOut()
          .println(
              json
                  ? new ObjectMapper()
                      .createObjectNode()
                      .put("stoppedNodes", nodes)
                      .put("dir", dir.toString())
                      .toPrettyString()
                  : text);
    }

    @Override
    public Integer call() throws Exception {
      Path dir = where.dir.toAbsolutePath();
      if (!DevnetState.exists(dir)) {
        report(0, dir, "devnet down: nothing running at " + dir);
        return ExitCodes.OK;
      }
      DevnetState s = DevnetState.read(dir);
      Optional<ProcessHandle> sup = ProcessHandle.of(s.supervisorPid());
      if (sup.isPresent() && sup.get().isAlive()) {
        if (!json) {
          spec.commandLine()
              .getOut()
              .println("devnet down: stopping the nodes (gracefully), the model hub and anvil...");
          spec.commandLine().getOut().flush();
        }
        sup.get().destroy();
        try {
          sup.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          sup.get().descendants().forEach(ProcessHandle::destroyForcibly);
          sup.get().destroyForcibly();
        }
      }
      // Nodes are children of the supervisor; stop any that outlived it (it was killed).
      for (DevnetState.NodeProcess n : s.nodes()) {
        ProcessHandle.of(n.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
      for (DevnetState.NodeProcess n : s.validators()) {
        ProcessHandle.of(n.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
      Files.deleteIfExists(DevnetState.file(dir));
      Files.deleteIfExists(DevnetState.envFile(dir));
      report(
          s.nodes().size(),
          dir,
          "devnet down: stopped "
              + s.nodes().size()
              + " node(s), "
              + (s.validators().isEmpty() ? "" : s.validators().size() + " validator(s), ")
              + "the model hub and anvil");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show what runs: the chain and its contracts, the model hub, each node.",
        "The supervisor restarts a node that exits on its own (up to 5 times) and records it; a"
            + " chain whose anvil exited is reported with the fix (anvil is not restarted: its chain"
            + " lived in its memory).",
        "--await-model REF first waits until every running node serves the model REF"
            + " (name@version) at the VANILLA level on chain: nodes pick a pushed model up from the"
            + " registry within seconds, and vouch infer needs one that does.",
        "Exit 0 when everything is up, 1 when a part is down (or REF is not served in time), 2"
            + " when there is no devnet."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch devnet status",
        "  vouch devnet status --json",
        "  vouch devnet status --await-model my-model@1"
      })
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Where where = new Where();

    @CommandLine.Mixin JsonOutputOption output = new JsonOutputOption();

    @Option(
        names = "--await-model",
        paramLabel = "REF",
        description = "First wait until every running node serves this model (name@version).")
    String awaitModel;

    @Option(
        names = "--timeout",
        defaultValue = "60s",
        paramLabel = "DURATION",
        description = "How long --await-model waits (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = where.dir.toAbsolutePath();
      if (!DevnetState.exists(dir)) {
        throw new VouchException(
            ErrorCode.BAD_INPUT, "no devnet at " + dir + "; start one: vouch devnet up");
      }
      DevnetState s = DevnetState.read(dir);
      if (awaitModel != null) {
        awaitServed(s, out);
        s = DevnetState.read(dir); // a node may have been restarted meanwhile
      }
      ObjectNode o = new ObjectMapper().createObjectNode();
      boolean supervisorUp =
          ProcessHandle.of(s.supervisorPid()).map(ProcessHandle::isAlive).orElse(false);
      long block = -1;
      Web3j web3j = Web3j.build(new HttpService(s.rpcUrl()));
      try {
        block = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      } catch (IOException e) {
        // reported as down below
      } finally {
        web3j.shutdown();
      }
      boolean chainUp = block >= 0;
      String chainDown =
          s.chainDown() != null
              ? s.chainDown()
              : chainUp
                  ? null
                  : "anvil at " + s.rpcUrl() + " does not answer; vouch devnet down, then up";
      o.put("dir", dir.toString());
      o.put("supervisorPid", s.supervisorPid());
      o.put("supervisorUp", supervisorUp);
      o.put("rpc", s.rpcUrl());
      o.put("chainId", s.deployment().chainId());
      o.put("chainBlock", block);
      o.put("chainUp", chainUp);
      if (chainDown != null) {
        o.put("chainDown", chainDown);
      }
      o.put("anvilPid", s.anvilPid());
      ObjectNode contracts = o.putObject("contracts");
      contracts.put("inferenceHub", s.deployment().inferenceHub());
      contracts.put("nodeRegistry", s.deployment().nodeRegistry());
      contracts.put("modelRegistry", s.deployment().modelRegistry());
      if (s.deployment().verificationCourt() != null) {
        contracts.put("verificationCourt", s.deployment().verificationCourt());
      }
      contracts.put("deployedAtBlock", s.deployment().deployedAtBlock());
      o.put("deploymentFile", DevnetState.deploymentFile(dir).toString());
      HttpClient http = HttpClient.newHttpClient();
      boolean hubUp = answers(http, s.modelHubUrl() + "/v1/repos");
      o.putObject("modelHub").put("url", s.modelHubUrl()).put("up", hubUp);
      boolean allUp = supervisorUp && chainDown == null && hubUp;
      ArrayNode nodes = o.putArray("nodes");
      ArrayNode validatorNodes = o.putArray("validators");
      for (DevnetState.NodeProcess n :
          java.util.stream.Stream.concat(s.nodes().stream(), s.validators().stream()).toList()) {
        boolean up = answers(http, n.url() + "/health");
        allUp &= up;
        ObjectNode j =
            (s.validators().contains(n) ? validatorNodes : nodes)
                .addObject()
                .put("address", n.address())
                .put("url", n.url())
                .put("up", up)
                .put("pid", n.pid())
                .put("restarts", n.restarts());
        if (n.faulty()) {
          j.put("faulty", true).put("faultyShare", n.faultyShare());
        }
        if (n.lastExitCode() != null) {
          j.put("lastExitCode", n.lastExitCode());
        }
        if (n.down() != null) {
          j.put("down", n.down());
        }
      }
      o.put("envFile", DevnetState.envFile(dir).toString());
      if (output.json()) {
        out.println(o.toPrettyString());
      } else {
        if (!supervisorUp) {
          out.printf(
              "supervisor     pid %d is not running: the devnet crashed or was killed; vouch devnet"
                  + " down cleans up, then vouch devnet up%n",
              s.supervisorPid());
        }
        out.printf(
            "chain          %d at %s  %s%n",
            s.deployment().chainId(),
            s.rpcUrl(),
            chainUp && s.chainDown() == null ? "block " + block : "DOWN: " + chainDown);
        out.printf("  InferenceHub   %s%n", s.deployment().inferenceHub());
        out.printf("  NodeRegistry   %s%n", s.deployment().nodeRegistry());
        out.printf("  ModelRegistry  %s%n", s.deployment().modelRegistry());
        if (s.deployment().verificationCourt() != null) {
          out.printf("  VerificationCourt %s%n", s.deployment().verificationCourt());
        }
        out.printf("model hub      %s  %s%n", s.modelHubUrl(), hubUp ? "UP" : "DOWN");
        for (DevnetState.NodeProcess n : s.nodes()) {
          boolean up = nodesUp(nodes, n.address());
          printNode(out, "node", n, up);
        }
        for (DevnetState.NodeProcess n : s.validators()) {
          printNode(out, "validator", n, nodesUp(validatorNodes, n.address()));
        }
        if (s.validators().isEmpty()) {
          out.printf(
              "court          not in session (no validators): results finalize by their window,"
                  + " checked on chain by no one%n");
        }
        out.printf(
            "files          %s, %s%n", DevnetState.file(dir), DevnetState.deploymentFile(dir));
        out.printf("shell          . %s%n", DevnetState.envFile(dir));
      }
      return allUp ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static void printNode(
        PrintWriter out, String role, DevnetState.NodeProcess n, boolean up) {
      StringBuilder note = new StringBuilder();
      if (n.restarts() > 0) {
        note.append("  (restarted ")
            .append(n.restarts())
            .append("×, last exit ")
            .append(n.lastExitCode())
            .append(")");
      }
      if (n.down() != null) {
        note.append("  ").append(n.down());
      }
      note.append(faultyNote(n));
      out.printf(
          "%s %s  %s  %s  pid %d%s%n",
          role, n.address(), n.url(), up ? "UP" : "DOWN", n.pid(), note);
    }

    /**
     * Waits until every node that is not down is eligible on chain for {@link #awaitModel} at
     * VANILLA: registered, and serving the model (it republishes what it serves after loading a
     * model, which is what the planner of vouch infer reads).
     */
    private void awaitServed(DevnetState s, PrintWriter out) throws Exception {
      String ref = awaitModel.strip();
      int at = ref.lastIndexOf('@');
      int version;
      try {
        version = at > 0 ? Integer.parseInt(ref.substring(at + 1)) : -1;
      } catch (NumberFormatException e) {
        version = -1;
      }
      if (version < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--await-model takes name@version, e.g. my-model@1; got " + ref);
      }
      Bytes32 modelId = ModelId.of(ref.substring(0, at), version);
      List<DevnetState.NodeProcess> nodes =
          s.nodes().stream().filter(n -> n.down() == null).toList();
      Web3j web3j = Web3j.build(new HttpService(s.rpcUrl()));
      try {
        NodeRegistryClient registry =
            NodeRegistryClient.readOnly(web3j, s.deployment().toDeployment());
        long deadline = System.nanoTime() + timeout.toNanos();
        int served = -1;
        while (true) {
          int n = 0;
          for (DevnetState.NodeProcess node : nodes) {
            if (registry.isEligible(
                Address.fromHex(node.address()), modelId, VerificationLevel.VANILLA)) {
              n++;
            }
          }
          if (n != served && !output.json()) {
            out.printf("model %s served by %d of %d nodes%n", ref, n, nodes.size());
            out.flush();
          }
          served = n;
          if (n == nodes.size()) {
            return;
          }
          if (System.nanoTime() > deadline) {
            throw new VouchException(
                ErrorCode.NO_ELIGIBLE_NODE,
                ref
                    + " is served by "
                    + n
                    + " of "
                    + nodes.size()
                    + " nodes after "
                    + timeout.toSeconds()
                    + " s; is it pushed (vouch model list)? The node logs say why one refused it: "
                    + dirOf(s));
          }
          Thread.sleep(250);
        }
      } finally {
        web3j.shutdown();
      }
    }

    private String dirOf(DevnetState s) {
      return s.nodes().isEmpty()
          ? where.dir.toString()
          : Path.of(s.nodes().get(0).log()).getParent().resolve("node-N.log").toString();
    }

    private static boolean nodesUp(ArrayNode nodes, String address) {
      for (var n : nodes) {
        if (n.get("address").asText().equals(address)) {
          return n.get("up").asBoolean();
        }
      }
      return false;
    }

    /** Whether {@code url} answers 200 within 2 s. */
    private static boolean answers(HttpClient http, String url) {
      try {
        return http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** How {@code up} and {@code status} mark a faulty node; empty for an honest one. */
  static String faultyNote(DevnetState.NodeProcess n) {
    return n.faulty()
        ? "  FAULTY: wrong outputs for " + Math.round(n.faultyShare() * 100) + " % of its requests"
        : "";
  }

  /** What {@code up} says about the court: its address, the validators, what it means. */
  static void printCourt(PrintWriter out, DevnetState s) {
    if (s.deployment().verificationCourt() != null) {
      out.printf("  VerificationCourt %s%n", s.deployment().verificationCourt());
    }
    for (DevnetState.NodeProcess v : s.validators()) {
      out.printf("  validator %s  %s  (pid %d)%n", v.address(), v.url(), v.pid());
    }
    out.printf(
        "  court          %s%n",
        s.validators().isEmpty()
            ? "not in session (no validators): no court case is drawn; VANILLA and ZKML results"
                + " finalize after the challenge window, checked on chain by no one"
            : "in session: ZKML results and VANILLA results selected for audit are judged by a"
                + " committee of 3 validators (quorum 2 of 3)");
  }

  /** The supervisor process itself; started by {@code up}, not meant to be typed. */
  @Command(name = "supervise", hidden = true)
  static final class Supervise implements Callable<Integer> {
    @CommandLine.Mixin Where where = new Where();

    @Option(names = "--nodes", defaultValue = "3")
    int nodes;

    @Option(names = "--validators", defaultValue = "0")
    int validators;

    @Option(names = "--challenge-window", defaultValue = "PT5S")
    Duration challengeWindow;

    @Option(names = "--tee")
    boolean tee;

    @Option(names = "--faulty-nodes", defaultValue = "0")
    int faultyNodes;

    @Option(names = "--faulty-share", defaultValue = "0.5")
    double faultyShare;

    @Override
    public Integer call() throws Exception {
      DevnetSupervisor sup =
          new DevnetSupervisor(
                  where.dir.toAbsolutePath(),
                  nodes,
                  challengeWindow,
                  m -> System.out.println("devnet: " + m))
              .withTee(tee)
              .withValidators(validators)
              .withFaultyNodes(faultyNodes, faultyShare);
      java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
      // The JVM halts once its shutdown hooks return: the hook waits until teardown is done.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> {
                sup.requestStop();
                try {
                  closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
      try (sup) {
        sup.start();
        System.out.println("devnet: ready");
        sup.awaitStop();
      } finally {
        System.out.println("devnet: stopped");
        closed.countDown();
      }
      return ExitCodes.OK;
    }
  }
}
