package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vouch.chain.court.CourtError;
import io.vouch.chain.hub.HubError;
import io.vouch.chain.registry.ModelRegistryError;
import io.vouch.chain.registry.NodeRegistryError;
import io.vouch.chain.tx.ContractError;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.RevertDecoder;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;

/**
 * The typed clients recognise a contract's refusal by the selector of its custom error, from one
 * enum per contract: each enum is exactly the contract's ABI errors, so a renamed or retyped error
 * fails here rather than being silently unrecognised at run time.
 */
class ContractErrorsTest {
  static Stream<Arguments> contracts() {
    return Stream.of(
        Arguments.of("InferenceHub", HubError.class),
        Arguments.of("NodeRegistry", NodeRegistryError.class),
        Arguments.of("ModelRegistry", ModelRegistryError.class),
        Arguments.of("VerificationCourt", CourtError.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contracts")
  void eachEnumIsExactlyTheErrorsOfItsContractsAbi(
      String contract, Class<? extends ContractError> errors) {
    Set<String> abi = new TreeSet<>();
    for (JsonNode entry : ContractArtifacts.abi(contract)) {
      if ("error".equals(entry.path("type").asText())) {
        StringJoiner types = new StringJoiner(",");
        entry.path("inputs").forEach(in -> types.add(in.path("type").asText()));
        abi.add(entry.get("name").asText() + "(" + types + ")");
      }
    }
    Set<String> declared =
        Arrays.stream(errors.getEnumConstants())
            .map(ContractError::signature)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(declared).isEqualTo(abi);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contracts")
  void selectorsWithinOneContractAreDistinct(
      String contract, Class<? extends ContractError> errors) {
    assertThat(Arrays.stream(errors.getEnumConstants()).map(ContractError::selector))
        .doesNotHaveDuplicates()
        .allMatch(s -> s.matches("0x[0-9a-f]{8}"));
  }

  static ContractRevertException revert(String signature, Type<?>... arguments) {
    String data =
        ContractError.selectorOf(signature)
            + FunctionEncoder.encodeConstructor(Arrays.asList(arguments));
    return new ContractRevertException(
        RevertDecoder.forVouchContracts().decode(data), "0xhub", Optional.empty(), "");
  }

  @Test
  void aRevertIsRecognisedByItsSelectorWithItsArguments() {
    ContractRevertException e =
        revert(
            "ChallengeWindowOpen(uint256,uint64)",
            new Uint256(BigInteger.valueOf(7)),
            new Uint64(BigInteger.valueOf(1_700_000_060L)));

    assertThat(HubError.of(e)).contains(HubError.CHALLENGE_WINDOW_OPEN);
    assertThat(HubError.CHALLENGE_WINDOW_OPEN.matches(e)).isTrue();
    assertThat(HubError.DEADLINE_NOT_REACHED.matches(e)).isFalse();
    assertThat(e.argument("finalizableAt")).isEqualTo(BigInteger.valueOf(1_700_000_060L));
  }

  @Test
  void anErrorOfTheSameNameWithOtherArgumentsIsNotTheHubs() {
    // The NodeRegistry's NotDeployer(address,address) is not the hub's NotDeployer(address).
    ContractRevertException e =
        revert(
            "NotDeployer(address,address)",
            new org.web3j.abi.datatypes.Address("0x" + "11".repeat(20)),
            new org.web3j.abi.datatypes.Address("0x" + "22".repeat(20)));

    assertThat(e.errorName()).isEqualTo("NotDeployer");
    assertThat(HubError.of(e)).isEmpty();
    assertThat(NodeRegistryError.of(e)).contains(NodeRegistryError.NOT_DEPLOYER);
  }

  @Test
  void aRevertWithoutDataOrWithAReasonStringIsNoContractError() {
    ContractRevertException empty =
        new ContractRevertException(
            RevertDecoder.forVouchContracts().decode("0x"), "0xhub", Optional.empty(), "");
    ContractRevertException reason =
        revert("Error(string)", new org.web3j.abi.datatypes.Utf8String("no"));

    assertThat(empty.selector()).isEmpty();
    assertThat(HubError.of(empty)).isEmpty();
    assertThat(HubError.of(reason)).isEmpty();
  }
}
