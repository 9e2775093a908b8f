package io.vouch.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.core.Bytes32;
import io.vouch.core.Requirements;
import io.vouch.core.VerificationLevel;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.demo.DemoModel;
import io.vouch.demo.text.HashedBagOfWords;
import io.vouch.evidence.TeeTrust;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.models.PushRequest;
import io.vouch.zk.mlp.ZkCompiler;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The SDK from an application, against a running devnet ({@code ./vouch devnet up}, with {@code
 * --tee} for the TEE level): connect, push a model, run it at every level the devnet serves, verify
 * each result, print. Run it with {@code examples/quickstart} from the folder where the devnet was
 * started, or from an IDE with that folder as working directory; the one argument is another devnet
 * folder (default {@code .vouch/devnet}).
 *
 * <p>Exit 0 when every result verified; 1 when something failed that a retry could fix (the devnet
 * is down, a node did not answer, a result did not verify); 2 on a mistake (no devnet folder).
 */
public final class QuickStart {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a customer writes; the model names the intent. */
  static final List<String> MESSAGES =
      List.of(
          "where is my parcel, it was due yesterday",
          "I was charged twice, I want my money back",
          "I can't log in to my account");

  private QuickStart() {}

  public static void main(String[] args) {
    // The SDK logs through SLF4J: warnings only here, so the output is this program's.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path devnet = Path.of(args.length > 0 ? args[0] : ".vouch/devnet");
    int exit;
    try {
      exit = run(devnet, System.out);
    } catch (VouchException e) {
      System.err.println("quickstart: " + e.getMessage());
      int status = e.code().httpStatus();
      exit = status >= 400 && status < 500 && e.code() != ErrorCode.VERIFICATION_FAILED ? 2 : 1;
    } catch (IOException | RuntimeException e) {
      System.err.println("quickstart: " + (e.getMessage() != null ? e.getMessage() : e));
      exit = 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = 1;
    }
    System.exit(exit);
  }

  static int run(Path devnet, PrintStream out) throws IOException, InterruptedException {
    // 1. Where the network is. `vouch devnet up` writes devnet.json (chain URL, model hub URL, a
    //    funded development key) and deployment.json (the contracts) in its folder.
    Path stateFile = devnet.resolve("devnet.json");
    if (!Files.exists(stateFile)) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "no devnet at " + devnet.toAbsolutePath() + "; start one: ./vouch devnet up --tee");
    }
    JsonNode state = JSON.readTree(stateFile.toFile());
    Path teeRoot = devnet.resolve("tee-dev-root.pem"); // only a devnet started with --tee has it
    boolean tee = Files.exists(teeRoot);
    VouchConfig config =
        VouchConfig.of(state.get("rpcUrl").asText(), devnet.resolve("deployment.json"))
            .withHubs(URI.create(state.get("modelHubUrl").asText()))
            .withKey(Bytes32.fromHex(state.get("userKey").asText()));
    if (tee) {
      // DEVELOPMENT ONLY: the devnet's simulated enclaves. In production: withAwsRoot(pem).
      config = config.withTeeTrust(TeeTrust.attested().withDevelopmentRoot(teeRoot));
    }

    try (VouchClient vouch = VouchClient.connect(config)) {
      out.printf(
          "connected  chain %d, InferenceHub %s%n",
          config.deployment().chainId(), config.deployment().inferenceHub());

      // 2. A model: the demo's support-intent classifier, trained here in a second. Its schema
      //    hash comes from the ONNX file; for ZKML its integer model is compiled, calibrated on
      //    real messages (the inputs are 0/1 word buckets).
      DemoModel model = DemoModel.build();
      Path file = Files.createTempFile("quickstart-", ".onnx");
      Files.write(file, model.onnx());
      OnnxModelFile onnx = OnnxModelFile.parse(model.onnx());
      HashedBagOfWords featurizer = HashedBagOfWords.withDefaultBuckets();
      float[][] calibration =
          model.heldOut().stream().map(t -> featurizer.vectorize(t.text())).toArray(float[][]::new);
      ZkCompiler.Compiled zk = ZkCompiler.compile(onnx, calibration, 0.99);
      Set<VerificationLevel> levels =
          tee
              ? EnumSet.of(VerificationLevel.VANILLA, VerificationLevel.TEE, VerificationLevel.ZKML)
              : EnumSet.of(VerificationLevel.VANILLA, VerificationLevel.ZKML);

      // 3. Push: model bytes to the hub, then the registry entry on chain (the commit point).
      PushRequest request =
          new PushRequest(
              "quickstart",
              nextVersion(vouch, "quickstart"),
              levels,
              BigInteger.ZERO,
              onnx.schema().schemaHash(),
              zk.model().modelId());
      PublishedModel m = vouch.models().push(file, request, zk.fileBytes());
      Files.delete(file);
      out.printf("pushed     %s: levels %s, CID %s%n", m.ref(), levels, m.cid());
      if (!tee) {
        out.println("           (TEE: start the devnet with ./vouch devnet up --tee)");
      }

      // 4. Nodes are paid per request with vouchers drawn on a deposit in the hub.
      var deposit = vouch.payments().deposit(BigInteger.TEN.pow(16));
      out.printf("deposited  0.01 ETH for vouchers (tx %s)%n", deposit.transactionHash());

      // 5. Each level: planned from the registry, paid, verified before infer() returns.
      int i = 0;
      for (VerificationLevel level : levels) {
        awaitServed(vouch, m.ref(), level, out);
        String text = MESSAGES.get(i++ % MESSAGES.size());
        InferenceOutcome o =
            vouch.infer(
                m.ref(),
                featurizer.toTensor(text),
                Requirements.defaults().withMinLevel(level).withMaxLatency(Duration.ofSeconds(30)));
        if (o.level() != level) {
          throw new VouchException(
              ErrorCode.VERIFICATION_FAILED, "asked for " + level + ", got " + o.level());
        }
        // 6. Anyone holding the outcome can check it again, against the chain.
        InferenceOutcome checked = vouch.verify(o);
        if (!(checked.verification()
            instanceof InferenceOutcome.Verification.ClientVerified verified)) {
          throw new VouchException(ErrorCode.VERIFICATION_FAILED, level + " result not verified");
        }
        out.printf(
            "%-10s \"%s\" -> %s (node %s%s)%n",
            level,
            text,
            model.labels().get(o.output().argmax()),
            o.node(),
            o.proof().map(p -> ", proof " + p.length + " bytes").orElse(""));
        out.printf("           verified: %s%n", verified.what());
      }
      out.println("done       every result verified");
      return 0;
    }
  }

  /** The version after the latest published one of {@code name}, or 1 for a new name. */
  static int nextVersion(VouchClient vouch, String name) {
    try {
      return vouch.models().show(name).version() + 1;
    } catch (VouchException e) {
      if (e.code() == ErrorCode.UNKNOWN_MODEL) {
        return 1;
      }
      throw e;
    }
  }

  /** Nodes pick a new model up from the registry within seconds; waits for one at {@code level}. */
  static void awaitServed(VouchClient vouch, String ref, VerificationLevel level, PrintStream out)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    boolean said = false;
    while (vouch.candidates(ref, level).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new VouchException(
            ErrorCode.NO_ELIGIBLE_NODE, "no node serves " + ref + " at " + level + " after 90 s");
      }
      if (!said) {
        out.printf("waiting    for a node to serve %s at %s%n", ref, level);
        said = true;
      }
      Thread.sleep(250);
    }
  }
}
