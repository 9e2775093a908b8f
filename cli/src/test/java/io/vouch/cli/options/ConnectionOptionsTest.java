package io.vouch.cli.options;

import static io.vouch.cli.options.OptionGroupProbe.DEPLOYMENT;
import static io.vouch.cli.options.OptionGroupProbe.RPC;
import static io.vouch.cli.options.OptionGroupProbe.deploymentFile;
import static io.vouch.cli.options.OptionGroupProbe.onChain;
import static io.vouch.cli.options.OptionGroupProbe.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.cli.devnet.DevnetState;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.sdk.VouchConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@link ConnectionOptions}: a devnet folder or an explicit network becomes a VouchConfig. */
class ConnectionOptionsTest {
  static final Secp256k1.KeyPair USER = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("user"));
  static final Secp256k1.KeyPair MINE = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("mine"));

  @TempDir Path dir;

  Path devnet() throws Exception {
    Path d = Files.createDirectories(dir.resolve("devnet"));
    DevnetState s =
        new DevnetState(
            1,
            RPC,
            new DevnetState.VouchDeploymentJson(
                1337,
                DEPLOYMENT.nodeRegistry().toHex(),
                DEPLOYMENT.modelRegistry().toHex(),
                DEPLOYMENT.inferenceHub().toHex(),
                7,
                null),
            "http://127.0.0.1:8081",
            Keccak.hash("deployer").toHex(),
            USER.privateKey().toHex(),
            Keccak.hash("user2").toHex(),
            List.of(),
            0,
            null,
            List.of());
    new ObjectMapper().writeValue(DevnetState.file(d).toFile(), s);
    return d;
  }

  @Test
  void aDevnetFolderGivesItsChainItsHubAndItsUserKey() throws Exception {
    Path d = devnet();

    VouchConfig c = parse(new ConnectionOptions(), "--devnet", d.toString()).config();

    assertThat(c.rpcUrl()).isEqualTo(URI.create(RPC));
    assertThat(c.deployment().inferenceHub()).isEqualTo(DEPLOYMENT.inferenceHub());
    assertThat(c.hubUrls()).containsExactly(URI.create("http://127.0.0.1:8081"));
    assertThat(c.key().orElseThrow().address()).isEqualTo(USER.address());
  }

  @Test
  void keyAndModelHubOverrideTheDevnets() throws Exception {
    Path d = devnet();

    VouchConfig c =
        parse(
                new ConnectionOptions(),
                "--devnet",
                d.toString(),
                "--key",
                MINE.privateKey().toHex(),
                "--model-hub",
                "http://hub.example:9000")
            .config();

    assertThat(c.key().orElseThrow().address()).isEqualTo(MINE.address());
    assertThat(c.hubUrls()).containsExactly(URI.create("http://hub.example:9000"));
  }

  @Test
  void rpcAndDeploymentNameANetworkWithoutKeyOrHubUnlessGiven() {
    ConnectionOptions o = parse(new ConnectionOptions(), onChain(deploymentFile(dir)));

    VouchConfig c = o.config();

    assertThat(c.rpcUrl()).isEqualTo(URI.create(RPC));
    assertThat(c.deployment()).isEqualTo(DEPLOYMENT);
    assertThat(c.hubUrls()).isEmpty();
    assertThat(c.key()).isEmpty();
    assertThat(o.devnetFolder()).as("no devnet folder with --rpc").isEmpty();
    assertThat(o.keyGiven()).isFalse();
  }

  @Test
  void theNetworkCanComeFromTheEnvironment() {
    ConnectionOptions o =
        parse(
            new ConnectionOptions(),
            Map.of(
                "VOUCH_RPC",
                RPC,
                "VOUCH_DEPLOYMENT",
                deploymentFile(dir).toString(),
                "VOUCH_KEY",
                MINE.privateKey().toHex()));

    assertThat(o.config().key().orElseThrow().address()).isEqualTo(MINE.address());
    assertThat(o.keyGiven()).isTrue();
  }

  @Test
  void theDefaultDevnetFolderIsDotVouchDevnet() {
    assertThat(parse(new ConnectionOptions()).devnetFolder())
        .contains(Path.of(".vouch/devnet").toAbsolutePath());
  }

  @Test
  void withoutADevnetTheMessageSaysHowToStartOneOrNameANetwork() {
    ConnectionOptions o =
        parse(new ConnectionOptions(), "--devnet", dir.resolve("none").toString());

    assertThatThrownBy(o::config)
        .isInstanceOfSatisfying(
            VouchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNAVAILABLE))
        .hasMessageContaining("no devnet is running at")
        .hasMessageContaining("vouch devnet up")
        .hasMessageContaining("--rpc and --deployment");
  }

  @Test
  void aKeyThatIsNotSixtyFourHexDigitsIsBadUsageSayingWhatIsWrong() {
    ConnectionOptions o = parse(new ConnectionOptions(), "--key", "0xabcxyz");

    assertThatThrownBy(o::config)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage(
            "--key must be a secp256k1 private key, 0x and 64 hex digits; got 6 characters,"
                + " not all hex");
  }

  @Test
  void rpcWithoutDeploymentIsBadUsageNamingWhatIsMissing() {
    ConnectionOptions o = parse(new ConnectionOptions(), "--rpc", RPC);

    assertThatThrownBy(o::config)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageStartingWith("--rpc needs --deployment");
  }

  @Test
  void deploymentWithoutRpcIsBadUsageNamingWhatIsMissing() {
    ConnectionOptions o =
        parse(new ConnectionOptions(), "--deployment", deploymentFile(dir).toString());

    assertThatThrownBy(o::config)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--deployment needs --rpc (the chain's JSON-RPC URL)");
  }

  @Test
  void aMissingDeploymentFileIsBadInput() {
    Path missing = dir.resolve("none.json");
    ConnectionOptions o = parse(new ConnectionOptions(), onChain(missing));

    assertThatThrownBy(o::config)
        .isInstanceOfSatisfying(
            VouchException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
        .hasMessage("no such file: " + missing);
  }
}
