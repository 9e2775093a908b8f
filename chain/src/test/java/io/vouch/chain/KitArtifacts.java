package io.vouch.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.chain.tx.TransactionSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What {@code contracts/compile.mjs} writes for the consumer kit ({@code contracts/kit}): the ABIs
 * of its example and test contracts ({@code target/web3j/test}) and of its library and interfaces
 * ({@code target/kit-abi}). Their errors (the kit's and VouchTensor's) are not in the jar's ABIs,
 * so a sender that should name them is taught them here.
 */
final class KitArtifacts {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String[] CONTRACTS = {"ExampleConsumer", "KitProbeConsumer", "VouchTensorProbe"};

  private KitArtifacts() {}

  static Path root() {
    String root = System.getProperty("vouch.root");
    return (root == null || root.isBlank() ? Path.of("..") : Path.of(root)).toAbsolutePath();
  }

  static Path kitFolder() {
    return root().resolve("contracts").resolve("kit");
  }

  /** The ABI of a kit contract compiled for the tests ({@code target/web3j/test/<name>.abi}). */
  static JsonNode testAbi(String name) {
    return read(root().resolve("contracts/target/web3j/test/" + name + ".abi"));
  }

  /** The ABI of a kit library file's contract or interface ({@code target/kit-abi/<name>.json}). */
  static JsonNode kitAbi(String name) {
    return read(root().resolve("contracts/target/kit-abi/" + name + ".json")).get("abi");
  }

  /** {@code s}, now also decoding the kit's errors in reverts. */
  static TransactionSender decodingKitErrors(TransactionSender s) {
    for (String c : CONTRACTS) {
      s.revertDecoder().add(testAbi(c));
    }
    return s;
  }

  private static JsonNode read(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + p + "; build the contracts module first (./mvnw -pl contracts compile)",
          e);
    }
  }
}
