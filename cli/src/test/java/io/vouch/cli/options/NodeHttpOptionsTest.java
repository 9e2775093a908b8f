package io.vouch.cli.options;

import static io.vouch.cli.options.OptionGroupProbe.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.node.NodeConfig;
import io.vouch.node.assembly.HttpConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeHttpOptionsTest {
  @Test
  void byDefaultTheApiListensOnLoopbackOnAFreePortWithTheNodesLimits() {
    assertThat(parse(new NodeHttpOptions()).toConfig())
        .isEqualTo(
            new HttpConfig(
                "127.0.0.1",
                0,
                NodeConfig.DEFAULT_MAX_INPUT_ELEMENTS,
                NodeConfig.DEFAULT_MAX_BODY_BYTES));
  }

  @Test
  void hostPortAndInputLimitAreTaken() {
    HttpConfig c =
        parse(
                new NodeHttpOptions(),
                "--host",
                "0.0.0.0",
                "--port",
                "8080",
                "--max-input-elements",
                "512")
            .toConfig();

    assertThat(c).isEqualTo(new HttpConfig("0.0.0.0", 8080, 512));
  }

  @Test
  void theyCanComeFromTheEnvironment() {
    HttpConfig c =
        parse(new NodeHttpOptions(), Map.of("VOUCH_PORT", "9090", "VOUCH_MAX_INPUT_ELEMENTS", "7"))
            .toConfig();

    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.maxInputElements()).isEqualTo(7);
  }

  @Test
  void aPortOutsideTheRangeIsRefused() {
    NodeHttpOptions http = parse(new NodeHttpOptions(), "--port", "70000");

    assertThatThrownBy(http::toConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in 0..65535, got 70000");
  }

  @Test
  void anInputLimitThatIsNotPositiveIsRefused() {
    NodeHttpOptions http = parse(new NodeHttpOptions(), "--max-input-elements", "0");

    assertThatThrownBy(http::toConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size limits must be positive");
  }

  @Test
  void aPortThatIsNotANumberIsBadUsage() {
    assertThatThrownBy(() -> parse(new NodeHttpOptions(), "--port", "http"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--port");
  }
}
