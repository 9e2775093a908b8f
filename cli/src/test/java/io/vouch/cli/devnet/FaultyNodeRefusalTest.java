package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.VouchDeployment;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.Address;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A faulty node (wrong outputs on purpose) exists only on a local devnet: {@code vouch node run}'s
 * hidden {@code --devnet-faulty-share} is refused, before anything is started, on any other
 * deployment, and {@code devnet up} refuses a count or share it cannot use. Each as the user runs
 * it: a process, exit 2, one line naming the problem.
 */
class FaultyNodeRefusalTest {
  static final String KEY = "0x" + "11".repeat(32);

  @TempDir Path dir;

  private Path deployment(long chainId) {
    Path f = dir.resolve("deployment-" + chainId + ".json");
    Address a = Address.fromHex("0x" + "22".repeat(20));
    new VouchDeployment(chainId, a, a, a, 1, a).writeTo(f);
    return f;
  }

  private Run nodeRun(String rpc, Path deployment) {
    return new VouchProcess(dir)
        .run(
            "node",
            "run",
            "--key",
            KEY,
            "--rpc",
            rpc,
            "--deployment",
            deployment.toString(),
            "--data-dir",
            dir.resolve("data").toString(),
            "--devnet-faulty-share",
            "0.5");
  }

  private static void refused(Run r, String... says) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .as(r.toString())
        .startsWith("vouch node run: ")
        .contains("a faulty node (wrong outputs on purpose) runs only on a local devnet")
        .contains(says)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aNodeOnAnotherChainThanAnvilsRefusesTheFaultyOption() {
    refused(
        nodeRun("http://127.0.0.1:8545", deployment(1)),
        "anvil's chain 31337",
        "the deployment is on chain 1");
  }

  @Test
  void aNodeWhoseRpcIsNotOnThisMachineRefusesTheFaultyOptionEvenOnChain31337() {
    refused(
        nodeRun("http://10.20.30.40:8545", deployment(31337)),
        "the RPC is http://10.20.30.40:8545");
  }

  @Test
  void aDirectOnlyNodeRefusesTheFaultyOption() {
    Run r =
        new VouchProcess(dir)
            .run(
                "node",
                "run",
                "--key",
                KEY,
                "--chain-id",
                "31337",
                "--hub",
                "0x" + "22".repeat(20),
                "--devnet-faulty-share",
                "1");
    refused(r, "on chain; this node has no --rpc and --deployment");
  }

  @Test
  void theFaultyOptionIsNotInTheNodesHelp() {
    Run r = new VouchProcess(dir).run("node", "run", "--help");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).doesNotContain("faulty");
  }

  @Test
  void devnetUpRefusesMoreFaultyNodesThanItHasKeysFor() {
    Run r =
        new VouchProcess(dir)
            .run("devnet", "up", "--faulty-nodes", "4", "--dir", dir.resolve("d").toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("--faulty-nodes must be 0 to 3, got 4")
        .doesNotContain("Exception");
    assertThat(dir.resolve("d/devnet.json")).doesNotExist();
  }

  @Test
  void devnetUpRefusesAFaultyShareOutsideZeroToOne() {
    Run r =
        new VouchProcess(dir)
            .run(
                "devnet",
                "up",
                "--faulty-nodes",
                "1",
                "--faulty-share",
                "0",
                "--dir",
                dir.resolve("d").toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains("--faulty-share must be above 0 and at most 1")
        .doesNotContain("Exception");
    assertThat(dir.resolve("d/devnet.json")).doesNotExist();
  }
}
