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
 * everything is ready; other commands read it to find the chain, the contracts, the model hub and
 * the nodes. The keys are anvil's public development keys: never use them elsewhere.
 */
public record DevnetState(
    long supervisorPid,
    String rpcUrl,
    VouchDeploymentJson deployment,
    String modelHubUrl,
    String deployerKey,
    String userKey,
    List<NodeProcess> nodes) {

  /** The deployment's addresses as plain JSON fields. */
  public record VouchDeploymentJson(
      long chainId,
      String nodeRegistry,
      String modelRegistry,
      String inferenceHub,
      long deployedAtBlock) {
    static VouchDeploymentJson of(VouchDeployment d) {
      return new VouchDeploymentJson(
          d.chainId(),
          d.nodeRegistry().toHex(),
          d.modelRegistry().toHex(),
          d.inferenceHub().toHex(),
          d.deployedAtBlock());
    }

    public VouchDeployment toDeployment() {
      return new VouchDeployment(
          chainId,
          io.vouch.core.Address.fromHex(nodeRegistry),
          io.vouch.core.Address.fromHex(modelRegistry),
          io.vouch.core.Address.fromHex(inferenceHub),
          deployedAtBlock);
    }
  }

  public record NodeProcess(String address, String url, long pid, String key, String log) {}

  static final String FILE = "devnet.json";
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

  /** Written atomically, so a reader never sees half a file. */
  void write(Path dir) {
    try {
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
