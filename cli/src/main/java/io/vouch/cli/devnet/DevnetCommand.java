package io.vouch.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.ExitCodes;
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
      footer = {"  vouch devnet up --nodes 3", "  vouch devnet up --nodes 1 --json"})
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
        names = "--challenge-window",
        defaultValue = "5s",
        paramLabel = "DURATION",
        description =
            "Challenge window of VANILLA results, e.g. 5s, 2m (default: ${DEFAULT-VALUE}).")
    Duration challengeWindow;

    @Option(
        names = "--tee",
        description =
            "Run the nodes with the TEE level, DEVELOPMENT SIMULATOR only: one DEV-ONLY enclave"
                + " root is written to <dir>/tee-dev-root.pem (private keys included) and its node"
                + " measurement is allowed on the NodeRegistry. No hardware, no isolation.")
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
              "--challenge-window",
              challengeWindow.toString()));
      if (tee) {
        cmd.add("--tee");
      }
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int printed = 0;
      for (int i = 0; i < 1800; i++) {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        for (; printed < lines.size(); printed++) {
          if (!json && lines.get(printed).startsWith("devnet: ")) {
            out.println(lines.get(printed));
            out.flush();
          }
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
              out.printf("  node %s  %s  (pid %d)%n", n.address(), n.url(), n.pid());
            }
            out.printf("  state          %s%n", DevnetState.file(dir));
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
          ErrorCode.NODE_UNAVAILABLE, "the devnet was not ready after 180 s; see " + log);
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
      Files.deleteIfExists(DevnetState.file(dir));
      report(
          s.nodes().size(),
          dir,
          "devnet down: stopped " + s.nodes().size() + " node(s), the model hub and anvil");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show what runs: the chain and each node.",
        "Exit 0 when everything is up, 1 when a part is down, 2 when there is no devnet."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  vouch devnet status", "  vouch devnet status --json"})
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Where where = new Where();

    @Option(names = "--json", description = "Print JSON (errors too, on stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = where.dir.toAbsolutePath();
      if (!DevnetState.exists(dir)) {
        throw new VouchException(
            ErrorCode.BAD_INPUT, "no devnet at " + dir + "; start one: vouch devnet up");
      }
      DevnetState s = DevnetState.read(dir);
      ObjectNode o = new ObjectMapper().createObjectNode();
      boolean allUp = true;
      long block = -1;
      Web3j web3j = Web3j.build(new HttpService(s.rpcUrl()));
      try {
        block = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      } catch (IOException e) {
        allUp = false;
      } finally {
        web3j.shutdown();
      }
      o.put("rpc", s.rpcUrl());
      o.put("chainBlock", block);
      HttpClient http = HttpClient.newHttpClient();
      ArrayNode nodes = o.putArray("nodes");
      for (DevnetState.NodeProcess n : s.nodes()) {
        boolean up;
        try {
          up =
              http.send(
                          HttpRequest.newBuilder(URI.create(n.url() + "/health"))
                              .timeout(Duration.ofSeconds(2))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode()
                  == 200;
        } catch (IOException e) {
          up = false;
        }
        allUp &= up;
        nodes.addObject().put("address", n.address()).put("url", n.url()).put("up", up);
      }
      if (json) {
        out.println(o.toPrettyString());
      } else {
        out.printf("chain  %s  %s%n", s.rpcUrl(), block >= 0 ? "block " + block : "DOWN");
        for (var n : nodes) {
          out.printf(
              "node   %s  %s  %s%n",
              n.get("address").asText(),
              n.get("url").asText(),
              n.get("up").asBoolean() ? "UP" : "DOWN");
        }
      }
      return allUp ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  /** The supervisor process itself; started by {@code up}, not meant to be typed. */
  @Command(name = "supervise", hidden = true)
  static final class Supervise implements Callable<Integer> {
    @CommandLine.Mixin Where where = new Where();

    @Option(names = "--nodes", defaultValue = "3")
    int nodes;

    @Option(names = "--challenge-window", defaultValue = "PT5S")
    Duration challengeWindow;

    @Option(names = "--tee")
    boolean tee;

    @Override
    public Integer call() throws Exception {
      DevnetSupervisor sup =
          new DevnetSupervisor(
                  where.dir.toAbsolutePath(),
                  nodes,
                  challengeWindow,
                  m -> System.out.println("devnet: " + m))
              .withTee(tee);
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
