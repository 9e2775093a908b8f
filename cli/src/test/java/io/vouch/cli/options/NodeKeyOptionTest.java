package io.vouch.cli.options;

import static io.vouch.cli.options.OptionGroupProbe.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeKeyOptionTest {
  static final Secp256k1.KeyPair KEY = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("node-key"));

  @Test
  void sixtyFourHexDigitsAreTheNodesKeyWithOrWithout0x() {
    String hex = KEY.privateKey().toHex();

    assertThat(parse(new NodeKeyOption(), "--key", hex).toKeyPair().address())
        .isEqualTo(KEY.address());
    assertThat(parse(new NodeKeyOption(), "--key", hex.substring(2)).toKeyPair().address())
        .isEqualTo(KEY.address());
  }

  @Test
  void aKeyThatIsNotSixtyFourHexDigitsIsRefusedSayingWhatAKeyIs() {
    NodeKeyOption key = parse(new NodeKeyOption(), "--key", "0x1234");

    assertThatThrownBy(key::toKeyPair)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--key must be the node's secp256k1 private key, 0x and 64 hex digits");
  }

  @Test
  void theKeyIsRequired() {
    assertThatThrownBy(() -> parse(new NodeKeyOption()))
        .isInstanceOf(CommandLine.MissingParameterException.class)
        .hasMessageContaining("--key");
  }

  @Test
  void theKeyCanComeFromVouchKey() {
    NodeKeyOption key = parse(new NodeKeyOption(), Map.of("VOUCH_KEY", KEY.privateKey().toHex()));

    assertThat(key.toKeyPair().address()).isEqualTo(KEY.address());
  }
}
