package io.vouch.cli.tee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.tee.dev.DevEnclave;
import io.vouch.tee.dev.DevRootAuthority;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyAttestationCommandTest {
  private static final String PROD = "evervault-2022-10-13-prod.cose";
  private static final String DEBUG = "uid2-2021-04-26-debug.cose";
  private static final String PROD_TIME = "2022-10-13T08:58:02.136Z";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** The shared TEE fixtures; the test is skipped, with the reason, when they are absent. */
  private static Path fixtures() {
    String shared = System.getProperty("vouch.shared");
    String root = System.getProperty("vouch.root");
    Path base =
        shared != null
            ? Path.of(shared)
            : root != null ? Path.of(root).resolve("../shared") : Path.of("../../shared");
    Path tee = base.resolve("fixtures/tee");
    assumeTrue(
        Files.isDirectory(tee.resolve("nitro")),
        "TEE fixtures not found at " + tee.toAbsolutePath().normalize() + "; set -Dvouch.shared");
    return tee;
  }

  private static String nitro(String name) {
    return fixtures().resolve("nitro").resolve(name).toString();
  }

  private static String awsRoot() {
    return fixtures().resolve("roots/aws-nitro-root.pem").toString();
  }

  private int run(CommandLine cl, String... args) {
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(new CommandLine(new VerifyAttestationCommand()), args);
  }

  private int runWith(Map<String, String> environment, String... args) {
    VerifyAttestationCommand command =
        new VerifyAttestationCommand(environment::get, Clock.systemUTC());
    return run(new CommandLine(command), args);
  }

  @Test
  void aGenuineDocumentIsValidAtItsOwnTime() {
    int exit = run(nitro(PROD), "--at-doc-time", "--root", awsRoot());
    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("i-020b6af9246d90e92-enc0183d09086c24190")
        .contains(PROD_TIME)
        .containsPattern("PCR0 +[0-9a-f]{96}")
        .containsPattern("nonce: +present \\(256 bytes\\)")
        .containsPattern("public_key: +absent")
        .containsPattern("verdict: +VALID");
  }

  @Test
  void aGenuineDocumentIsInvalidNowBecauseItsLeafExpired() {
    int exit = run(nitro(PROD), "--root", awsRoot());
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString())
        .containsPattern("verdict: +INVALID")
        .contains("CERTIFICATE_NOT_VALID_AT_TIME");
  }

  @Test
  void anExplicitInstantIsUsedForValidation() {
    assertThat(run(nitro(PROD), "--at", PROD_TIME, "--root", awsRoot())).isZero();
  }

  @Test
  void aDebugDocumentIsInvalidUnlessDebugIsAllowed() {
    assertThat(run(nitro(DEBUG), "--at-doc-time", "--root", awsRoot())).isEqualTo(1);
    assertThat(out.toString()).contains("DEBUG_MODE");
    assertThat(run(nitro(DEBUG), "--at-doc-time", "--root", awsRoot(), "--allow-debug")).isZero();
  }

  @Test
  void jsonOutputCarriesTheSameReport() throws Exception {
    int exit = run(nitro(PROD), "--at-doc-time", "--root", awsRoot(), "--json");
    assertThat(exit).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("verdict").asText()).isEqualTo("VALID");
    assertThat(json.get("trust_anchor").asText()).isEqualTo("AWS_NITRO");
    assertThat(json.get("timestamp").asText()).isEqualTo(PROD_TIME);
    assertThat(json.get("pcrs").size()).isEqualTo(16);
    assertThat(json.get("nonce").get("present").asBoolean()).isTrue();
    assertThat(json.get("user_data").get("present").asBoolean()).isFalse();
  }

  @Test
  void theRootCanComeFromTheEnvironment() {
    int exit =
        runWith(
            Map.of(VerifyAttestationCommand.ROOT_ENVIRONMENT_VARIABLE, awsRoot()),
            nitro(PROD),
            "--at-doc-time");
    assertThat(exit).isZero();
  }

  @Test
  void withoutARootItSaysHowToPassOne() {
    int exit = runWith(Map.of(), nitro(PROD), "--at-doc-time");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("--root")
        .contains(VerifyAttestationCommand.ROOT_ENVIRONMENT_VARIABLE);
  }

  @Test
  void aRootThatIsNotThePinnedAwsRootIsAConfigurationError(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("fake.pem");
    Files.writeString(fake, DevRootAuthority.generate(Instant.now()).rootPem());
    assertThat(run(nitro(PROD), "--at-doc-time", "--root", fake.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("SHA-256");
  }

  @Test
  void aMissingFileSaysNoSuchFile(@TempDir Path dir) {
    assertThat(run(dir.resolve("absent.cose").toString(), "--root", awsRoot())).isEqualTo(2);
    assertThat(err.toString()).contains("no such file: " + dir.resolve("absent.cose"));
  }

  @Test
  void bothTimeOptionsTogetherAreAUsageError() {
    assertThat(run(nitro(PROD), "--at-doc-time", "--at", PROD_TIME, "--root", awsRoot()))
        .isEqualTo(2);
  }

  @Test
  void aMalformedDocumentIsInvalid(@TempDir Path dir) throws Exception {
    Path junk = dir.resolve("junk.cose");
    Files.write(junk, new byte[] {(byte) 0x84, 0x40});
    assertThat(run(junk.toString(), "--root", awsRoot())).isEqualTo(1);
    assertThat(out.toString()).contains("MALFORMED");
  }

  @Test
  void aSimulatedDocumentIsValidOnlyWithTheDevelopmentRoot(@TempDir Path dir) throws Exception {
    Instant boot = Instant.parse("2026-02-01T00:00:00Z");
    DevRootAuthority authority = DevRootAuthority.generate(boot);
    DevEnclave enclave = authority.startEnclave("node".getBytes(), "conf".getBytes(), boot);
    Path doc = dir.resolve("sim.cose");
    Files.write(
        doc,
        enclave.attest(Optional.empty(), Optional.empty(), Optional.empty(), boot.plusSeconds(1)));
    Path devRoot = dir.resolve("dev-root.pem");
    Files.writeString(devRoot, authority.rootPem());
    Clock clock = Clock.fixed(boot.plusSeconds(2), ZoneOffset.UTC);

    VerifyAttestationCommand withDev = new VerifyAttestationCommand(name -> null, clock);
    assertThat(run(new CommandLine(withDev), doc.toString(), "--dev-root", devRoot.toString()))
        .isZero();
    assertThat(out.toString()).contains("DEVELOPMENT").contains("dev-sim-");

    VerifyAttestationCommand production = new VerifyAttestationCommand(name -> null, clock);
    assertThat(run(new CommandLine(production), doc.toString(), "--root", awsRoot())).isEqualTo(1);
    assertThat(out.toString()).contains("DEVELOPMENT_ROOT_NOT_ALLOWED");
  }

  @Test
  void aMeasurementAllowListAndNonceAreApplied() {
    assertThat(
            run(
                nitro(PROD),
                "--at-doc-time",
                "--root",
                awsRoot(),
                "--measurement",
                "00".repeat(48)))
        .isEqualTo(1);
    assertThat(out.toString()).contains("MEASUREMENT_NOT_ALLOWED");
    assertThat(run(nitro(PROD), "--at-doc-time", "--root", awsRoot(), "--nonce", "abcd"))
        .isEqualTo(1);
    assertThat(out.toString()).contains("NONCE_MISMATCH");
  }
}
