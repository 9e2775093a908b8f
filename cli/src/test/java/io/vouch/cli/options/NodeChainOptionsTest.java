package io.vouch.cli.options;

import static io.vouch.cli.options.OptionGroupProbe.DEPLOYMENT;
import static io.vouch.cli.options.OptionGroupProbe.RPC;
import static io.vouch.cli.options.OptionGroupProbe.deploymentFile;
import static io.vouch.cli.options.OptionGroupProbe.onChain;
import static io.vouch.cli.options.OptionGroupProbe.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.cli.Failure;
import io.vouch.core.Address;
import io.vouch.node.assembly.ChainConfig;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeChainOptionsTest {
  static final Address NODE = Address.fromHex("0x00000000000000000000000000000000000000c1");

  @TempDir Path dir;

  @Test
  void rpcAndDeploymentPutTheNodeOnChainWithTheDefaults() {
    ChainConfig c = parse(new NodeChainOptions(), onChain(deploymentFile(dir))).toConfig(NODE);

    assertThat(c)
        .isEqualTo(
            new ChainConfig.OnChain(
                RPC,
                DEPLOYMENT,
                new BigInteger("1000000000000000000"),
                Path.of(".vouch", "node-" + NODE),
                Duration.ofMillis(250),
                java.util.Optional.empty()));
    assertThat(c.chainId()).isEqualTo(1337);
    assertThat(c.hub()).isEqualTo(DEPLOYMENT.inferenceHub());
  }

  @Test
  void stakeDataDirPollingAndEndpointAreTaken() {
    ChainConfig.OnChain c =
        (ChainConfig.OnChain)
            parse(
                    new NodeChainOptions(),
                    onChain(
                        deploymentFile(dir),
                        "--stake-wei",
                        "5",
                        "--data-dir",
                        "node-data",
                        "--poll-ms",
                        "100",
                        "--endpoint",
                        "http://node.example:8080"))
                .toConfig(NODE);

    assertThat(c.stakeWei()).isEqualTo(BigInteger.valueOf(5));
    assertThat(c.dataDir()).isEqualTo(Path.of("node-data"));
    assertThat(c.journal()).isEqualTo(Path.of("node-data", "journal.jsonl"));
    assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.advertisedEndpoint()).contains("http://node.example:8080");
  }

  @Test
  void rpcAndDeploymentCanComeFromTheEnvironment() {
    ChainConfig c =
        parse(
                new NodeChainOptions(),
                Map.of("VOUCH_RPC", RPC, "VOUCH_DEPLOYMENT", deploymentFile(dir).toString()))
            .toConfig(NODE);

    assertThat(c).isInstanceOf(ChainConfig.OnChain.class);
  }

  @Test
  void chainIdAndHubNameTheDomainOfADirectOnlyNode() {
    ChainConfig c =
        parse(
                new NodeChainOptions(),
                "--chain-id",
                "31337",
                "--hub",
                "0x5fbdb2315678afecb367f032d93f642f64180aa3")
            .toConfig(NODE);

    assertThat(c)
        .isEqualTo(
            new ChainConfig.DirectOnly(
                31337, Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3")));
  }

  @Test
  void onChainTheChainIdAndHubComeFromTheDeployment() {
    ChainConfig c =
        parse(
                new NodeChainOptions(),
                onChain(
                    deploymentFile(dir),
                    "--chain-id",
                    "31337",
                    "--hub",
                    "0x5fbdb2315678afecb367f032d93f642f64180aa3"))
            .toConfig(NODE);

    assertThat(c.chainId()).isEqualTo(1337);
    assertThat(c.hub()).isEqualTo(DEPLOYMENT.inferenceHub());
  }

  @Test
  void rpcWithoutDeploymentIsRefused() {
    NodeChainOptions chain = parse(new NodeChainOptions(), "--rpc", RPC);

    assertThatThrownBy(() -> chain.toConfig(NODE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rpc and --deployment go together");
  }

  @Test
  void deploymentWithoutRpcIsRefused() {
    NodeChainOptions chain =
        parse(new NodeChainOptions(), "--deployment", deploymentFile(dir).toString());

    assertThatThrownBy(() -> chain.toConfig(NODE)).hasMessage("--rpc and --deployment go together");
  }

  @Test
  void withoutEitherPairTheMessageNamesBoth() {
    NodeChainOptions chain = parse(new NodeChainOptions(), "--chain-id", "31337");

    assertThatThrownBy(() -> chain.toConfig(NODE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "give --rpc and --deployment (on chain), or --chain-id and --hub (direct path only)");
  }

  @Test
  void aHubThatIsNotAnAddressIsRefused() {
    NodeChainOptions chain =
        parse(new NodeChainOptions(), "--chain-id", "31337", "--hub", "0x1234");

    assertThatThrownBy(() -> chain.toConfig(NODE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingDeploymentFileIsReportedAsNoSuchFile() {
    Path missing = dir.resolve("none.json");
    NodeChainOptions chain = parse(new NodeChainOptions(), onChain(missing));

    assertThatThrownBy(() -> chain.toConfig(NODE))
        .isInstanceOf(UncheckedIOException.class)
        .satisfies(e -> assertThat(Failure.of(e).message()).isEqualTo("no such file: " + missing));
  }
}
