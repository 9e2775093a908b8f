package io.vouch.bench.zk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.benchmodels.ZkBenchmarkModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The circuit inputs match the model's shape and the engine's logits are written beside them. */
class CircomExportTest {
  @Test
  void writesCircuitInputsShapedLikeTheModel(@TempDir Path dir) throws Exception {
    CircomExport.export(ZkBenchmarkModels.randomMlp("small", 7, 16, 8, 4), dir);

    JsonNode input = new ObjectMapper().readTree(Files.readString(dir.resolve("input.json")));
    assertThat(input.get("x")).hasSize(16);
    assertThat(input.get("w1")).hasSize(8);
    assertThat(input.get("w1").get(0)).hasSize(16);
    assertThat(input.get("w2")).hasSize(4);
    assertThat(input.get("b2")).hasSize(4);
    assertThat(new ObjectMapper().readTree(Files.readString(dir.resolve("expected.json"))))
        .hasSize(4);
    assertThat(Files.readString(dir.resolve("main.circom")))
        .contains("component main {public [x]} = Mlp(16, 8, 4, ");
  }
}
