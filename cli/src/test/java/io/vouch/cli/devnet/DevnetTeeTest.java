package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.VouchProcess;
import io.vouch.cli.VouchProcess.Run;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.onnx.testmodels.TestModels;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * {@code vouch devnet up --tee} with its default validators: the validators approve the node's
 * enclave key before {@code devnet up} returns (it says at which block), a TEE request made with
 * {@code vouch infer --on-chain} settles at its submission, and {@code vouch infer} and {@code
 * vouch request show [--json]} say "enclave key 0x… approved at block N by committee 0x…, 0x… (k/n
 * VALID, quorum …)" with the approval case's committee; both books balance and no key approval fee
 * is left held.
 */
class DevnetTeeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern APPROVED =
      Pattern.compile("enclave key (0x[0-9a-fA-F]{40}) approved at block (\\d+)");

  @TempDir Path dir;
  VouchProcess vouch;

  @AfterEach
  void down() {
    if (vouch != null) {
      vouch.run("devnet", "down");
    }
  }

  static Run ok(Run r) {
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void theValidatorsApproveTheNodesEnclaveKeyBeforeItsFirstTeeResult() throws Exception {
    vouch = new VouchProcess(dir);
    Run up = ok(vouch.run("devnet", "up", "--nodes", "1", "--tee"));
    Matcher m = APPROVED.matcher(up.out());
    assertThat(m.find()).as(up.out()).isTrue();
    Address key = Address.fromHex(m.group(1));
    long approvedAt = Long.parseLong(m.group(2));
    JsonNode state = JSON.readTree(dir.resolve(".vouch/devnet/devnet.json").toFile());
    VouchDeployment d = VouchDeployment.readFrom(dir.resolve(".vouch/devnet/deployment.json"));
    Web3j web3j = Web3j.build(new HttpService(state.get("rpcUrl").asText()));
    try {
      NodeRegistryClient registry = NodeRegistryClient.readOnly(web3j, d);
      assertThat(registry.enclaveKeyInfo(key).status())
          .isEqualTo(NodeRegistryClient.KeyStatus.APPROVED);
      assertThat(registry.enclaveKeyInfo(key).approvedAtBlock()).isEqualTo(approvedAt);

      Path model = Files.write(dir.resolve("tee.onnx"), TestModels.randomMlpOnnx(9, 16, 8, 3));
      ok(vouch.run("model", "push", model.toString(), "--name", "tee", "--levels", "vanilla,tee"));
      ok(vouch.run("devnet", "status", "--await-model", "tee@1"));
      String input =
          "{\"dtype\":\"float32\",\"shape\":[1,16],\"data\":["
              + String.join(",", Collections.nCopies(16, "0.5"))
              + "]}";
      JsonNode r =
          JSON.readTree(
              ok(vouch.run(
                      "infer",
                      "--model",
                      "tee@1",
                      "--input",
                      input,
                      "--level",
                      "tee",
                      "--on-chain",
                      "--timeout",
                      "120s",
                      "--json"))
                  .out());

      assertThat(r.get("finality").asText()).isEqualTo("FINALIZED");
      // the key that signed is the one approved while devnet up waited
      Matcher signed = APPROVED.matcher(r.get("onChainVerification").get("summary").asText());
      assertThat(signed.find()).as(r.toString()).isTrue();
      long keyApprovedAt = Long.parseLong(signed.group(2));
      assertThat(Address.fromHex(signed.group(1))).isEqualTo(key);
      assertThat(keyApprovedAt).isEqualTo(approvedAt);
      // ... by which committee: the members whose VALID verdicts approved it, and the quorum
      var approval =
          new io.vouch.chain.court.CourtClient(
                  TransactionSender.create(
                      web3j, Bytes32.fromHex(state.get("deployerKey").asText())),
                  d)
              .getCase(registry.enclaveKeyInfo(key).approvalCase());
      List<String> approvers =
          approval.committee().stream()
              .filter(s -> s.voted() && s.votedValid())
              .map(s -> s.member().toString())
              .toList();
      assertThat(approvers).hasSizeGreaterThan(1);
      String byCommittee =
          "enclave key "
              + signed.group(1)
              + " approved at block "
              + keyApprovedAt
              + " by committee "
              + String.join(", ", approvers)
              + " ("
              + approvers.size()
              + "/"
              + approval.committee().size()
              + " VALID";
      assertThat(r.get("onChainVerification").get("summary").asText()).startsWith(byCommittee);
      JsonNode enclave = r.get("onChainVerification").get("enclaveKey");
      assertThat(enclave.get("approvedAtBlock").asLong()).isEqualTo(keyApprovedAt);
      assertThat(enclave.get("approvalCase").get("state").asText()).isEqualTo("VALID");
      assertThat(enclave.get("approvalCase").get("committee")).hasSize(approval.committee().size());
      Run show = ok(vouch.run("request", "show", r.get("requestId").asText()));
      assertThat(show.out())
          .contains("FINALIZED")
          .contains(byCommittee)
          .contains("KeyApproval case 0x" + approval.caseId().toString(16));
      JsonNode shown =
          JSON.readTree(
              ok(vouch.run("request", "show", r.get("requestId").asText(), "--json")).out());
      assertThat(shown.get("verification").get("summary").asText()).startsWith(byCommittee);
      assertThat(shown.get("verification").get("enclaveKey").get("key").asText())
          .isEqualToIgnoringCase(signed.group(1));
      assertThat(registry.enclaveKeyInfo(Address.fromHex(signed.group(1))).approvedAtBlock())
          .isEqualTo(keyApprovedAt);

      TransactionSender reader =
          TransactionSender.create(web3j, Bytes32.fromHex(state.get("deployerKey").asText()));
      assertThat(d.inferenceHub(reader).isBalanced().send()).isTrue();
      assertThat(d.inferenceHub(reader).totalEscrowed().send()).isEqualTo(BigInteger.ZERO);
      assertThat(d.verificationCourt(reader).isBalanced().send()).isTrue();
      assertThat(d.verificationCourt(reader).totalKeyFees().send()).isEqualTo(BigInteger.ZERO);
    } finally {
      web3j.shutdown();
    }
  }
}
