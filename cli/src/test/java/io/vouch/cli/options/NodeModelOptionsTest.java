package io.vouch.cli.options;

import static io.vouch.cli.options.OptionGroupProbe.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.node.assembly.LocalModel;
import io.vouch.node.assembly.ModelConfig;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeModelOptionsTest {
  @Test
  void byDefaultNoLocalModelNoHubEveryRegistryModelAndFree() {
    ModelConfig c = parse(new NodeModelOptions()).toConfig();

    assertThat(c.local()).isEmpty();
    assertThat(c.hubs()).isEmpty();
    assertThat(c.served().test("anything@1")).isTrue();
    assertThat(c.priceWei()).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void localModelsAreFilesWithTheirRegistryNameAndVersion() {
    ModelConfig c =
        parse(
                new NodeModelOptions(),
                "--model",
                "a.onnx=support-intents@2,dir/b=c.onnx=other@1",
                "--model",
                "c.onnx=third@7")
            .toConfig();

    assertThat(c.local())
        .containsExactly(
            new LocalModel(Path.of("a.onnx"), "support-intents", 2),
            new LocalModel(Path.of("dir/b=c.onnx"), "other", 1),
            new LocalModel(Path.of("c.onnx"), "third", 7));
  }

  @Test
  void hubsServedModelsAndPriceAreTaken() {
    ModelConfig c =
        parse(
                new NodeModelOptions(),
                "--model-hub",
                "http://127.0.0.1:8081,http://127.0.0.1:8082",
                "--serve",
                "a@1,b@2",
                "--price-wei",
                "1000")
            .toConfig();

    assertThat(c.hubs())
        .containsExactly(URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8082"));
    assertThat(c.served().test("a@1")).isTrue();
    assertThat(c.served().test("b@2")).isTrue();
    assertThat(c.served().test("a@2")).isFalse();
    assertThat(c.priceWei()).isEqualTo(BigInteger.valueOf(1000));
  }

  @Test
  void theyCanComeFromTheEnvironment() {
    ModelConfig c =
        parse(new NodeModelOptions(), Map.of("VOUCH_PRICE_WEI", "9", "VOUCH_SERVE", "a@1"))
            .toConfig();

    assertThat(c.priceWei()).isEqualTo(BigInteger.valueOf(9));
    assertThat(c.served().test("b@1")).isFalse();
  }

  @Test
  void aModelWithoutNameAndVersionIsRefusedWithTheForm() {
    NodeModelOptions models = parse(new NodeModelOptions(), "--model", "x.onnx");

    assertThatThrownBy(models::toConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--model takes FILE=NAME@VERSION (e.g. model.onnx=support-intents@1), got 'x.onnx'");
  }

  @Test
  void aModelReferenceWithoutVersionIsRefused() {
    NodeModelOptions models = parse(new NodeModelOptions(), "--model", "x.onnx=intents");

    assertThatThrownBy(models::toConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a model reference is name@version, got 'intents'");
  }

  @Test
  void aModelVersionBelowOneIsRefused() {
    NodeModelOptions models = parse(new NodeModelOptions(), "--model", "x.onnx=intents@0");

    assertThatThrownBy(models::toConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model versions start at 1, got 0");
  }

  @Test
  void aNegativePriceIsRefused() {
    NodeModelOptions models = parse(new NodeModelOptions(), "--price-wei", "-1");

    assertThatThrownBy(models::toConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("price must not be negative");
  }

  @Test
  void aPriceThatIsNotAWholeNumberIsBadUsage() {
    assertThatThrownBy(() -> parse(new NodeModelOptions(), "--price-wei", "0.5"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'0.5' is not a whole number");
  }

  @Test
  void aHubThatIsNotAUrlIsBadUsage() {
    assertThatThrownBy(() -> parse(new NodeModelOptions(), "--model-hub", "localhost"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'localhost' is not a URL");
  }
}
