package io.vouch.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vouch.chain.VouchDeployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What {@code vouch devnet up} started, written to {@code devnet.json} in the devnet folder once
 * everything is ready and again whenever the supervisor restarts a node or sees anvil exit; other
 * commands read it to find the chain, the contracts, the model hub and the nodes. The keys are
 * anvil's public development keys: never use them elsewhere. Beside it, {@code devnet.env} holds
 * the same addresses as shell variables ({@link #env()}).
 *
 * @param userKey the CLI's default key on this devnet (pays and publishes)
 * @param user2Key a second funded account, for a second client (a curl session) whose vouchers
 *     start from zero at every node
 * @param anvilPid anvil's process id (0 when unknown)
 * @param chainDown why the chain is gone (anvil exited), or null while anvil runs
 * @param validators the validator processes ({@code vouch node run --role validator}); empty when
 *     the devnet runs without a court in session
 */
public record DevnetState(
    long supervisorPid,
    String rpcUrl,
    VouchDeploymentJson deployment,
    String modelHubUrl,
    String deployerKey,
    String userKey,
    String user2Key,
    List<NodeProcess> nodes,
    long anvilPid,
    String chainDown,
    List<NodeProcess> validators) {

  public DevnetState {
    nodes = List.copyOf(nodes);
    validators = validators == null ? List.of() : List.copyOf(validators);
  }

  /** Process {@code i} of the supervisor's numbering: the nodes first, then the validators. */
  NodeProcess process(int i) {
    return i < nodes.size() ? nodes.get(i) : validators.get(i - nodes.size());
  }

  DevnetState withProcess(int i, NodeProcess n) {
    if (i < nodes.size()) {
      return withNode(i, n);
    }
    List<NodeProcess> vs = new java.util.ArrayList<>(validators);
    vs.set(i - nodes.size(), n);
    return with(nodes, vs, chainDown);
  }

  /**
   * The deployment's addresses as plain JSON fields.
   *
   * @param verificationCourt null in a file written before the devnet recorded its court
   */
  public record VouchDeploymentJson(
      long chainId,
      String nodeRegistry,
      String modelRegistry,
      String inferenceHub,
      long deployedAtBlock,
      String verificationCourt) {
    static VouchDeploymentJson of(VouchDeployment d) {
      return new VouchDeploymentJson(
          d.chainId(),
          d.nodeRegistry().toHex(),
          d.modelRegistry().toHex(),
          d.inferenceHub().toHex(),
          d.deployedAtBlock(),
          d.verificationCourt().toHex());
    }

    public VouchDeployment toDeployment() {
      return new VouchDeployment(
          chainId,
          io.vouch.core.Address.fromHex(nodeRegistry),
          io.vouch.core.Address.fromHex(modelRegistry),
          io.vouch.core.Address.fromHex(inferenceHub),
          deployedAtBlock,
          verificationCourt == null
              ? io.vouch.core.Address.ZERO
              : io.vouch.core.Address.fromHex(verificationCourt));
    }
  }

  /**
   * One node process.
   *
   * @param restarts how often the supervisor restarted it after it exited on its own
   * @param lastExitCode the exit code of its last unplanned exit, null if it never had one
   * @param down why it is not running and will not be restarted, or null
   * @param faultyShare for a faulty node ({@code devnet up --faulty-nodes}), the share of requests
   *     it answers wrongly on purpose; null for an honest one
   */
  public record NodeProcess(
      String address,
      String url,
      long pid,
      String key,
      String log,
      int restarts,
      Integer lastExitCode,
      String down,
      Double faultyShare) {
    public NodeProcess(String address, String url, long pid, String key, String log) {
      this(address, url, pid, key, log, 0, null, null, null);
    }

    /** Whether this is a faulty node ({@code devnet up --faulty-nodes}). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean faulty() {
      return faultyShare != null;
    }

    NodeProcess asFaulty(double share) {
      return new NodeProcess(address, url, pid, key, log, restarts, lastExitCode, down, share);
    }

    NodeProcess restarted(long newPid, int exitCode) {
      return new NodeProcess(
          address, url, newPid, key, log, restarts + 1, exitCode, null, faultyShare);
    }

    NodeProcess gaveUp(int exitCode, String why) {
      return new NodeProcess(address, url, pid, key, log, restarts, exitCode, why, faultyShare);
    }
  }

  DevnetState withNode(int i, NodeProcess n) {
    List<NodeProcess> ns = new java.util.ArrayList<>(nodes);
    ns.set(i, n);
    return with(ns, validators, chainDown);
  }

  DevnetState withChainDown(String why) {
    return with(nodes, validators, why);
  }

  private DevnetState with(List<NodeProcess> ns, List<NodeProcess> vs, String down) {
    return new DevnetState(
        supervisorPid,
        rpcUrl,
        deployment,
        modelHubUrl,
        deployerKey,
        userKey,
        user2Key,
        ns,
        anvilPid,
        down,
        vs);
  }

  /**
   * The addresses as shell variable assignments, for {@code . .vouch/devnet/devnet.env} before a
   * curl session: not exported, and not named {@code VOUCH_*} (those are the CLI's option
   * defaults).
   */
  public String env(Path dir) {
    StringBuilder b = new StringBuilder();
    b.append("# The running devnet (vouch devnet up), for a shell: . ")
        .append(envFile(dir))
        .append("\n# Rewritten when the devnet changes; removed by vouch devnet down. The keys are")
        .append(" anvil's public development keys: never use them elsewhere.\n");
    line(b, "DEVNET_RPC", rpcUrl);
    line(b, "DEVNET_CHAIN_ID", Long.toString(deployment.chainId()));
    line(b, "DEVNET_INFERENCE_HUB", deployment.inferenceHub());
    line(b, "DEVNET_NODE_REGISTRY", deployment.nodeRegistry());
    line(b, "DEVNET_MODEL_REGISTRY", deployment.modelRegistry());
    line(b, "DEVNET_MODEL_HUB", modelHubUrl);
    line(b, "DEVNET_USER_KEY", userKey);
    if (user2Key != null) {
      line(b, "DEVNET_USER2_KEY", user2Key);
    }
    if (!nodes.isEmpty()) {
      line(b, "DEVNET_NODE", nodes.get(0).url());
      line(b, "DEVNET_NODE_ADDRESS", nodes.get(0).address());
    }
    for (int i = 0; i < nodes.size(); i++) {
      line(b, "DEVNET_NODE_" + (i + 1), nodes.get(i).url());
    }
    if (deployment.verificationCourt() != null) {
      line(b, "DEVNET_VERIFICATION_COURT", deployment.verificationCourt());
    }
    for (int i = 0; i < validators.size(); i++) {
      line(b, "DEVNET_VALIDATOR_" + (i + 1), validators.get(i).address());
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(name).append('=').append(value).append('\n');
  }

  static final String FILE = "devnet.json";
  static final String ENV_FILE = "devnet.env";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static Path file(Path dir) {
    return dir.resolve(FILE);
  }

  public static boolean exists(Path dir) {
    return Files.exists(file(dir));
  }

  public static DevnetState read(Path dir) {
    Path f = file(dir);
    if (!Files.exists(f)) {
      throw new IllegalStateException(
          "no devnet at "
              + dir.toAbsolutePath()
              + " (no "
              + FILE
              + "); start one: vouch devnet up");
    }
    try {
      return JSON.readValue(f.toFile(), DevnetState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  public static Path envFile(Path dir) {
    return dir.resolve(ENV_FILE);
  }

  /** Written atomically (the env file first), so a reader never sees half a file. */
  void write(Path dir) {
    try {
      Path env = dir.resolve(ENV_FILE + ".tmp");
      Files.writeString(env, env(dir));
      Files.move(
          env, envFile(dir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Path tmp = dir.resolve(FILE + ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(
          tmp, file(dir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write devnet state: " + e.getMessage(), e);
    }
  }

  /** The deployment JSON nodes read ({@code --deployment}). */
  public static Path deploymentFile(Path dir) {
    return dir.resolve("deployment.json");
  }
}
