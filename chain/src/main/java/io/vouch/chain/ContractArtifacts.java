package io.vouch.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The compiled contracts that the {@code vouch-contracts} jar carries ({@code
 * io/vouch/contracts/<Name>.json}: abi, bytecode, deployedBytecode), read from the class path.
 */
public final class ContractArtifacts {
  /** The deployable contracts of {@code contracts/src}. */
  public static final List<String> NAMES =
      List.of("NodeRegistry", "ModelRegistry", "InferenceHub", "VerificationCourt", "SupportDesk");

  private static final ObjectMapper JSON = new ObjectMapper();

  private ContractArtifacts() {}

  /** The whole artifact of contract {@code name}. */
  public static JsonNode artifact(String name) {
    String resource = "io/vouch/contracts/" + name + ".json";
    try (InputStream in = ContractArtifacts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ChainException(
            "contract artifact "
                + resource
                + " is not on the class path; build the contracts module (./mvnw -pl contracts"
                + " install) so that vouch-contracts carries it");
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  public static JsonNode abi(String name) {
    return artifact(name).get("abi");
  }
}
