package io.vouch.cli.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.court.CourtCase;
import io.vouch.chain.court.CourtClient;
import io.vouch.chain.desk.SupportDeskClient;
import io.vouch.chain.events.HubEvent;
import io.vouch.chain.events.HubEventWatcher;
import io.vouch.chain.hub.InferenceHubClient;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.devnet.DevnetState;
import io.vouch.cli.devnet.DevnetSupervisor;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.Tensor;
import io.vouch.demo.DemoModel;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.evidence.TeeTrust;
import io.vouch.evidence.ToleranceRule;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import io.vouch.sdk.models.AuditTerms;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.PushRequest;
import io.vouch.sdk.onchain.OnChainOptions;
import io.vouch.sdk.onchain.OnChainResult;
import io.vouch.sdk.onchain.OnChainVerification;
import io.vouch.zk.mlp.ZkCompiler;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vouch demo}: the whole path on a fresh local network — the support-intent model is
 * trained, pushed, served directly with verified receipts, called from an on-chain support desk
 * that routes a ticket by the answer, settled, and the books are checked.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole path on a fresh devnet, every step checked.",
      "Brings up a devnet with validators and one faulty node, pushes the customer-support"
          + " intent model (every VANILLA result audited), runs it directly (VANILLA, TEE, ZKML),"
          + " from an on-chain support desk (audited by a validator committee) and at ZKML on"
          + " chain (finalized by a committee's quorum), catches and slashes the faulty node,"
          + " settles, reconciles balances, and brings the devnet down.",
      "Exit 0 only when every step checked out."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  vouch demo", "  vouch demo --nodes 2 --json > demo.json"})
public final class DemoCommand implements Callable<Integer> {
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final List<String> MESSAGES =
      List.of(
          "I was charged twice for my order, I want my money back",
          "where is my package? it was supposed to arrive yesterday",
          "please cancel my order before it ships");

  static final int STEPS = 11;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", defaultValue = ".vouch/demo", description = "Scratch folder (emptied).")
  Path dir;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      paramLabel = "N",
      description = "Nodes to start (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--json",
      description =
          "Print one JSON object at the end instead of the steps as they happen: {\"ok\": …,"
              + " \"steps\": [{\"step\": …, \"title\": …, \"lines\": […]}]}; errors too, on"
              + " stderr.")
  boolean json;

  private PrintWriter out;
  private int step;
  private final ArrayNode steps = JsonNodeFactory.instance.arrayNode();

  private void step(String title) {
    ++step;
    if (json) {
      steps.addObject().put("step", step).put("title", title).putArray("lines");
      return;
    }
    out.printf("%n== %d/%d %s%n", step, STEPS, title);
    out.flush();
  }

  private void line(String format, Object... args) {
    if (json) {
      String text = String.format(Locale.ROOT, format, args);
      if (steps.isEmpty()) {
        step("setup");
      }
      ((ArrayNode) steps.get(steps.size() - 1).get("lines")).add(text);
      return;
    }
    out.printf(Locale.ROOT, "   " + format + "%n", args);
    out.flush();
  }

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    int code = demo();
    if (json) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("ok", code == ExitCodes.OK);
      o.set("steps", steps);
      out.println(o.toPrettyString());
    }
    return code;
  }

  private int demo() throws Exception {
    Path root = dir.toAbsolutePath();
    deleteTree(root);
    step(
        "devnet: anvil, contracts, model hub, "
            + nodes
            + " nodes (separate processes, each with a development enclave), "
            + DevnetSupervisor.DEVNET_COURT_VALIDATORS
            + " validators (they approve the enclave keys and judge results) and one faulty node");
    try (DevnetSupervisor devnet =
        new DevnetSupervisor(root, nodes, Duration.ofSeconds(3), m -> line("%s", m))
            .withTee(true)
            .withValidators(DevnetSupervisor.DEVNET_COURT_VALIDATORS)
            .withFaultyNodes(1, 1.0)) {
      DevnetState state = devnet.start();
      VouchDeployment deployment = state.deployment().toDeployment();
      line(
          "chain %d at %s, InferenceHub %s",
          deployment.chainId(), state.rpcUrl(), deployment.inferenceHub());
      return run(state, deployment, root);
    } finally {
      step("devnet down");
      line("nodes, model hub and anvil stopped");
    }
  }

  private int run(DevnetState state, VouchDeployment deployment, Path root) throws Exception {
    Web3j web3j = Web3j.build(new HttpService(state.rpcUrl()));
    try (VouchClient vouch =
        VouchClient.connect(
            VouchConfig.of(state.rpcUrl(), deployment)
                .withHubs(URI.create(state.modelHubUrl()))
                .withKey(Bytes32.fromHex(state.userKey()))
                // The default, attested trust with the devnet's development root (trusted because
                // the devnet's registry allows development attestation), as `vouch infer` does.
                .withTeeTrust(
                    TeeTrust.attested()
                        .withDevelopmentRoot(DevnetSupervisor.teeDevRootFile(root))))) {
      TransactionSender user = TransactionSender.create(web3j, Bytes32.fromHex(state.userKey()));
      InferenceHubClient hub = new InferenceHubClient(user, deployment);
      List<Address> honest =
          state.nodes().stream()
              .filter(n -> !n.faulty())
              .map(n -> Address.fromHex(n.address()))
              .toList();
      Address faulty =
          state.nodes().stream()
              .filter(DevnetState.NodeProcess::faulty)
              .map(n -> Address.fromHex(n.address()))
              .findFirst()
              .orElseThrow();
      line(
          "faulty node %s: a devnet-only node that answers every VANILLA and ZKML request"
              + " wrongly, still signed (the direct steps below ask the honest nodes)",
          faulty);

      step("the model: a customer-support intent classifier, trained here and pushed");
      DemoModel demo = DemoModel.build();
      Path file = root.resolve("support-intents.onnx");
      Files.write(file, demo.onnx());
      line(
          "%d intents %s; held-out accuracy %.3f on %d messages",
          demo.labels().size(), demo.labels(), demo.heldOutAccuracy(), demo.heldOut().size());
      OnnxModelFile onnx = OnnxModelFile.parse(demo.onnx());
      HashedBagOfWords featurizer = HashedBagOfWords.withDefaultBuckets();
      // Calibrate the integer model on real messages: the model's inputs are 0/1 word buckets.
      float[][] calibration =
          demo.heldOut().stream().map(t -> featurizer.vectorize(t.text())).toArray(float[][]::new);
      ZkCompiler.Compiled zk = ZkCompiler.compile(onnx, calibration, 0.99);
      line(
          "ZKML: quantized to int8 (top-1 agreement with float %.1f %% on %d messages), ZK model id %s",
          100 * zk.topOneAgreement(), zk.calibrationInputs(), zk.model().modelId());
      PublishedModel m =
          vouch
              .models()
              .push(
                  file,
                  new PushRequest(
                          "support-intents",
                          1,
                          Set.of(
                              VerificationLevel.VANILLA,
                              VerificationLevel.TEE,
                              VerificationLevel.ZKML),
                          BigInteger.ZERO,
                          onnx.schema().schemaHash(),
                          zk.model().modelId())
                      // every VANILLA result re-executed by a committee (the registry's default
                      // is a sample); float outputs compared by argmax and max |Δ| ≤ 1e-4
                      .withAudit(new AuditTerms(10_000, ToleranceRule.DEFAULT)),
                  zk.fileBytes());
      line("pushed %s: CID %s", m.ref(), m.cid());
      line(
          "audit terms on chain: %s of VANILLA results re-executed by a validator committee,"
              + " compared by %s",
          AuditTerms.percent(m.auditRateBps()),
          m.toleranceRule().map(ToleranceRule::text).orElse("?"));
      line("model id %s (tx %s)", m.modelId(), m.txHash().orElse("?"));
      awaitServed(vouch, m);

      step(
          "direct inference: planned from the registry, paid by voucher, receipts verified locally");
      var deposit = vouch.payments().deposit(ETH.divide(BigInteger.valueOf(10)));
      line(
          "deposited 0.1 ETH in the hub for direct-path vouchers (tx %s)",
          deposit.transactionHash());
      List<InferenceOutcome> direct = new java.util.ArrayList<>();
      for (int i = 0; i < MESSAGES.size(); i++) {
        String text = MESSAGES.get(i);
        InferenceOutcome o =
            vouch.infer(
                m.ref(),
                featurizer.toTensor(text),
                Requirements.defaults().withPreferredNode(honest.get(i % honest.size())));
        direct.add(o);
        line("\"%s\"", text);
        line(
            "  -> %s by %s, receipt #%d signature %s…",
            demo.labels().get(o.output().argmax()),
            o.node(),
            o.receipt().receipt().sequence(),
            o.receipt().signature().toHex().substring(0, 18));
        if (!(o.verification() instanceof InferenceOutcome.Verification.ClientVerified v)) {
          line("FAILED: result not verified");
          return ExitCodes.FAILED;
        }
        line("  verified: %s", v.what());
      }

      step("TEE level: enclave-signed result, attestation checked (development enclave)");
      VerificationLevel askedTee = VerificationLevel.TEE;
      InferenceOutcome tee =
          vouch.infer(
              m.ref(),
              featurizer.toTensor("I can't log in to my account, reset my password"),
              Requirements.defaults().withMinLevel(askedTee).withPreferredNode(honest.get(0)));
      if (tee.level() != askedTee
          || !(tee.verification() instanceof InferenceOutcome.Verification.ClientVerified tv)) {
        line("FAILED: no verified TEE result");
        return ExitCodes.FAILED;
      }
      io.vouch.core.Address enclaveKey =
          io.vouch.core.crypto.Secp256k1.recover(
              tee.receipt().receipt().digest(tee.domain()), tee.receipt().signature());
      line(
          "-> %s, receipt signed by enclave key %s of node %s",
          demo.labels().get(tee.output().argmax()), enclaveKey, tee.node());
      line("  verified: %s", tv.what());
      line(
          "  enclave key %s approved by a committee of validators at block %d, before its first"
              + " result (they verified its attestation document)",
          enclaveKey,
          io.vouch.chain.registry.NodeRegistryClient.readOnly(web3j, deployment)
              .enclaveKeyInfo(enclaveKey)
              .approvedAtBlock());
      line(
          "  (simulated enclave under a DEV-ONLY root; real Nitro documents are verified by `vouch tee verify-attestation`)");

      step("ZKML level: a proof of the integer model's inference, verified by this client");
      String zkText = "can I change the delivery address for my order";
      VerificationLevel askedZkml = VerificationLevel.ZKML;
      long t0 = System.nanoTime();
      InferenceOutcome zkml =
          vouch.infer(
              m.ref(),
              featurizer.toTensor(zkText),
              Requirements.defaults().withMinLevel(askedZkml).withPreferredNode(honest.get(0)));
      long micros = (System.nanoTime() - t0) / 1_000;
      if (zkml.level() != askedZkml
          || !(zkml.verification() instanceof InferenceOutcome.Verification.ClientVerified zv)) {
        line("FAILED: no verified ZKML result");
        return ExitCodes.FAILED;
      }
      line("\"%s\"", zkText);
      line(
          "  -> %s (int64 logits), proof %d bytes, round trip incl. proving and verifying %d µs",
          demo.labels().get(zkml.output().argmax()),
          zkml.proof().map(b -> b.length).orElse(0),
          micros);
      line("  verified: %s", zv.what());

      step("ZKML on chain: the proof judged by a validator committee, final at its quorum");
      var zkRequest =
          vouch.inferOnChain(
              m.ref(),
              featurizer.toTensor("the parcel arrived damaged, can I return it"),
              OnChainOptions.defaults(ETH.divide(BigInteger.valueOf(100)))
                  .withLevel(VerificationLevel.ZKML)
                  .withPreferredNode(honest.get(0)));
      OnChainResult zkResult = vouch.awaitResult(zkRequest, Duration.ofSeconds(240));
      if (!zkResult.isFinal()
          || !zkResult.verification().map(OnChainVerification::decidedByQuorum).orElse(false)) {
        line("FAILED: the ZKML request was not finalized by a committee: %s", zkResult);
        return ExitCodes.FAILED;
      }
      line(
          "request #%s -> %s by %s",
          zkResult.requestId(), demo.labels().get(zkResult.output().argmax()), zkResult.node());
      line("verified on chain: %s", zkResult.verification().get().summary());
      line(
          "final %d block(s) after the result was submitted (no challenge window at ZKML)",
          blockOf(web3j, zkResult.finalizeTransaction().orElseThrow())
              - blockOf(web3j, zkResult.submitTransaction()));

      step("the faulty node caught: its wrong ZKML result voted INVALID, its stake slashed");
      NodeRegistryClient registry = NodeRegistryClient.readOnly(web3j, deployment);
      BigInteger stakeBefore = registry.nodeInfo(faulty).stakeWei();
      var lie =
          vouch.inferOnChain(
              m.ref(),
              featurizer.toTensor("why was I charged a fee for my return"),
              OnChainOptions.defaults(ETH.divide(BigInteger.valueOf(100)))
                  .withLevel(VerificationLevel.ZKML)
                  .withPreferredNode(faulty));
      OnChainResult caught = vouch.awaitResult(lie, Duration.ofSeconds(300));
      List<CourtCase> cases =
          caught.verification().map(OnChainVerification::cases).orElse(List.of());
      BigInteger stakeAfter = registry.nodeInfo(faulty).stakeWei();
      for (CourtCase c : cases) {
        line("submitted by %s: %s", c.node(), OnChainVerification.describe(c, caught.isFinal()));
      }
      boolean caughtIt =
          cases.size() >= 2
              && cases.getFirst().node().equals(faulty)
              && cases.getFirst().state() == CourtCase.State.INVALID
              && !caught.node().equals(faulty)
              && caught.isFinal()
              && stakeAfter.compareTo(stakeBefore) < 0;
      line("faulty node's stake %s wei -> %s wei", stakeBefore, stakeAfter);
      if (!caughtIt) {
        line("FAILED: the faulty node's lie was not caught and slashed: %s", cases);
        return ExitCodes.FAILED;
      }
      line(
          "answered by %s instead: %s, final",
          caught.node(), demo.labels().get(caught.output().argmax()));

      step(
          "on chain: a support-desk contract sends a ticket to the model; a validator committee"
              + " audits the VANILLA result before the desk routes it");
      SupportDeskClient desk =
          SupportDeskClient.deploy(user, deployment, m.modelId(), 60, demo.labels());
      line("SupportDesk deployed at %s", desk.address());
      String ticketText = "my payment failed at checkout, the card was declined";
      Tensor features = featurizer.toTensor(ticketText);
      var opened = desk.openTicket(features, ETH.divide(BigInteger.valueOf(100)));
      SupportDeskClient.Ticket t = desk.ticket(0);
      BigInteger requestId = t.requestId();
      line(
          "ticket 0 \"%s\" opened: request #%s, tx %s",
          ticketText, requestId, opened.transactionHash());
      long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
      while (desk.ticket(0).status() == SupportDeskClient.Status.PENDING
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      t = desk.ticket(0);
      printRequestHistory(web3j, deployment, requestId);
      if (t.status() != SupportDeskClient.Status.ROUTED) {
        line("FAILED: ticket status %s (expected Routed)", t.status().ordinal());
        return ExitCodes.FAILED;
      }
      line(
          "callback delivered with finality=true: ticket routed to queue %d (%s)",
          t.queue(), desk.queueName(t.queue()));
      OnChainVerification audit = vouch.verification(requestId);
      line("verified on chain: %s", audit.summary());
      if (!audit.decidedByQuorum()) {
        line("FAILED: the ticket's result was not confirmed by an audit committee");
        return ExitCodes.FAILED;
      }

      step("batch settlement of the direct receipts");
      if (!settleDirect(state, hub, direct)) {
        return ExitCodes.FAILED;
      }

      step("balances reconciled");
      BigInteger balance =
          web3j
              .ethGetBalance(deployment.inferenceHub().toHex(), DefaultBlockParameterName.LATEST)
              .send()
              .getBalance();
      InferenceHubClient.Books books = hub.books();
      BigInteger escrow = books.escrowed();
      BigInteger deposits = books.deposits();
      BigInteger owed = books.owed();
      line(
          "hub balance %s wei = escrowed %s + deposits %s + owed %s",
          balance, escrow, deposits, owed);
      boolean courtBalanced = new CourtClient(user, deployment).isBalanced();
      line(
          courtBalanced
              ? "VerificationCourt: balance = bonds + payouts owed"
              : "FAILED: the VerificationCourt's books do not balance");
      boolean balanced =
          courtBalanced && books.balanced() && balance.equals(escrow.add(deposits).add(owed));
      line(
          balanced
              ? "balanced: every wei is held, paid out or refunded"
              : "FAILED: the hub's books do not balance");
      return balanced ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      web3j.shutdown();
    }
  }

  /**
   * Asks every node that served a direct request to post its receipts' Merkle root and redeem its
   * vouchers now, then checks each receipt's inclusion proof against the root on chain.
   */
  private boolean settleDirect(
      DevnetState state, InferenceHubClient hub, List<InferenceOutcome> direct) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.Set<String> endpoints = new java.util.TreeSet<>();
    direct.forEach(o -> endpoints.add(o.nodeEndpoint()));
    for (String endpoint : endpoints) {
      var resp =
          http.send(
              java.net.http.HttpRequest.newBuilder(URI.create(endpoint + "/v1/settle"))
                  .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      var body = json.readTree(resp.body());
      if (resp.statusCode() != 200) {
        line("FAILED: %s /v1/settle answered %d: %s", endpoint, resp.statusCode(), resp.body());
        return false;
      }
      var batch = body.get("batch");
      if (batch != null && !batch.isNull()) {
        line(
            "%s posted batch #%s: root of %s receipts (tx %s)",
            endpoint,
            batch.get("batchId").asText(),
            batch.get("count").asText(),
            batch.get("tx").asText());
      }
      for (var r : body.path("redemptions")) {
        line(
            "  redeemed voucher of %s: paid %s wei (tx %s)",
            r.get("payer").asText(), r.get("paid").asText(), r.get("tx").asText());
      }
    }
    for (InferenceOutcome o : direct) {
      Bytes32 digest = o.receipt().receipt().digest(o.domain());
      var resp =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      URI.create(o.nodeEndpoint() + "/v1/receipts/" + digest.toHex() + "/proof"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        line("FAILED: no inclusion proof for receipt %s: %s", digest, resp.body());
        return false;
      }
      var p = json.readTree(resp.body());
      List<Bytes32> proof = new java.util.ArrayList<>();
      p.get("proof").forEach(h -> proof.add(Bytes32.fromHex(h.asText())));
      // From the receipt's fields: the hub rebuilds its digest and requires that the receipt names
      // the node whose batch it is (the batch's node is also bound into every leaf).
      boolean included =
          hub.inclusion().ofReceipt(p.get("batchId").asLong(), o.receipt().receipt(), proof);
      line(
          "receipt %s… of %s in batch #%s: inclusion %s on chain",
          digest.toHex().substring(0, 14),
          o.node(),
          p.get("batchId").asText(),
          included ? "verified" : "NOT verified");
      if (!included) {
        return false;
      }
    }
    return true;
  }

  private static long blockOf(Web3j web3j, String tx) throws java.io.IOException {
    return web3j
        .ethGetTransactionReceipt(tx)
        .send()
        .getTransactionReceipt()
        .orElseThrow()
        .getBlockNumber()
        .longValueExact();
  }

  private void awaitServed(VouchClient vouch, PublishedModel m) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      int n = vouch.candidates(m.ref(), VerificationLevel.VANILLA).size();
      if (n >= nodes) {
        line("served by %d nodes (fetched from the hub by CID, hash-checked)", n);
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("nodes did not pick up " + m.ref() + " within 30 s");
  }

  private void printRequestHistory(Web3j web3j, VouchDeployment d, BigInteger id) throws Exception {
    try (HubEventWatcher w = new HubEventWatcher(web3j, d.inferenceHub(), d.deployedAtBlock())) {
      long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      while (w.nextBlock() <= head) {
        for (HubEvent e : w.poll()) {
          switch (e) {
            case HubEvent.RequestAssigned a when a.requestId().equals(id) ->
                line("assigned to %s (tx %s)", a.node(), a.position().transactionHash());
            case HubEvent.ResultSubmitted s when s.requestId().equals(id) ->
                line("result submitted by %s (tx %s)", s.node(), s.position().transactionHash());
            case HubEvent.RequestFinalized f when f.requestId().equals(id) ->
                line(
                    "finalized: node paid %s wei, refund %s wei (tx %s)",
                    f.nodePaid(), f.refund(), f.position().transactionHash());
            case HubEvent.CallbackDelivered c when c.requestId().equals(id) ->
                line(
                    "callback delivered, finalized=%s (tx %s)",
                    c.finalized(), c.position().transactionHash());
            default -> {}
          }
        }
      }
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
