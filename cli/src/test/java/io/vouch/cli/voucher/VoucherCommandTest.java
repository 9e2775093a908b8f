package io.vouch.cli.voucher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch voucher sign}'s refusals, as processes; signing and paying a node is run by the
 * README's curl session on a devnet (examples' {@code GettingStartedTest}).
 */
class VoucherCommandTest {
  @TempDir Path dir;

  Run vouch(String... args) {
    return new VouchProcess(dir).run(args);
  }

  @Test
  void anAmountOfZeroIsBadUsage() {
    Run r =
        vouch(
            "voucher",
            "sign",
            "--node",
            "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
            "--amount",
            "0");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--amount must be 1 to 2^256-1 wei, got 0");
  }

  @Test
  void aNodeThatIsNeitherAUrlNorAnAddressIsBadUsage() {
    Run r = vouch("voucher", "sign", "--node", "node-1", "--amount", "1");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--node must be a node URL (http://…) or a 0x address");
  }

  @Test
  void withoutADevnetItSaysHowToStartOne() {
    Run r =
        vouch(
            "voucher",
            "sign",
            "--node",
            "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
            "--amount",
            "1",
            "--json");

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("NODE_UNAVAILABLE").contains("vouch devnet up");
    assertThat(r.out()).isEmpty();
  }
}
