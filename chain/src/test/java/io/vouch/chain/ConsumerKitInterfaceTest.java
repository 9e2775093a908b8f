package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The consumer kit declares the hub and registry functions it calls ({@code
 * contracts/kit/src/IVouchHub.sol}) and the callbacks it implements, so that it compiles on its
 * own; this test fails as soon as one of them no longer matches the contracts of {@code
 * contracts/src} (a changed signature, return type or payability), naming the function.
 */
class ConsumerKitInterfaceTest {

  @Test
  void theKitsHubAndRegistryInterfacesMatchTheContracts() {
    assertDeclaredIn("IVouchInferenceHub", "InferenceHub");
    assertDeclaredIn("IVouchModelRegistry", "ModelRegistry");
    assertDeclaredIn("IVouchNodeRegistry", "NodeRegistry");
  }

  @Test
  void theKitsCallbacksAreTheOnesTheHubCalls() {
    Map<String, String> consumer = functions(KitArtifacts.kitAbi("VouchConsumer"));
    for (var callback : functions(ContractArtifacts.abi("IVouchConsumer")).entrySet()) {
      assertThat(consumer)
          .as("VouchConsumer implements IVouchConsumer.%s", callback.getKey())
          .containsEntry(callback.getKey(), callback.getValue());
    }
  }

  static void assertDeclaredIn(String kitInterface, String contract) {
    Map<String, String> declared = functions(KitArtifacts.kitAbi(kitInterface));
    Map<String, String> actual = functions(ContractArtifacts.abi(contract));
    assertThat(declared).isNotEmpty();
    for (var f : declared.entrySet()) {
      assertThat(actual)
          .as(
              "%s.%s as the kit declares it (%s) must be in %s's ABI; update"
                  + " contracts/kit/src/IVouchHub.sol with the contract",
              contract, f.getKey(), f.getValue(), contract)
          .containsEntry(f.getKey(), f.getValue());
    }
  }

  /** name(inputs) → "returns (outputs) mutability", each type in its canonical ABI form. */
  static Map<String, String> functions(JsonNode abi) {
    Map<String, String> m = new TreeMap<>();
    for (JsonNode e : abi) {
      if (!"function".equals(e.path("type").asText())) {
        continue;
      }
      m.put(
          e.get("name").asText() + "(" + types(e.path("inputs")) + ")",
          "returns (" + types(e.path("outputs")) + ") " + e.path("stateMutability").asText());
    }
    return m;
  }

  static String types(JsonNode params) {
    List<String> t = new ArrayList<>();
    for (JsonNode p : params) {
      t.add(type(p));
    }
    return String.join(",", t);
  }

  static String type(JsonNode p) {
    String type = p.get("type").asText();
    if (type.startsWith("tuple")) {
      return "(" + types(p.path("components")) + ")" + type.substring("tuple".length());
    }
    return type;
  }
}
