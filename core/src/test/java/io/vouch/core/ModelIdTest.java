package io.vouch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.abi.DefaultFunctionEncoder;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.crypto.Hash;

/** Our ABI encoding of (string, uint32) is checked against web3j's independent ABI encoder. */
class ModelIdTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a",
        "support-intents",
        "a name exactly 32 bytes long!!!!",
        "ünïcødé model name that is longer than one word"
      })
  void modelIdIsKeccakOfTheAbiEncodingOfNameAndVersion(String name) {
    String hex =
        new DefaultFunctionEncoder()
            .encodeParameters(List.of(new Utf8String(name), new Uint32(BigInteger.valueOf(7))));
    byte[] expected = Hash.sha3(Hex.decode(hex));

    assertThat(ModelId.of(name, 7).toArray()).isEqualTo(expected);
  }

  @Test
  void referenceParsesNameAndVersion() {
    assertThat(ModelId.ofRef("support@2")).isEqualTo(ModelId.of("support", 2));
  }

  @Test
  void versionZeroIsRefused() {
    assertThatThrownBy(() -> ModelId.of("m", 0)).hasMessageContaining("start at 1");
  }

  @Test
  void referenceWithoutVersionIsRefused() {
    assertThatThrownBy(() -> ModelId.ofRef("support")).hasMessageContaining("name@version");
  }
}
