package io.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.options.ConnectionOptions;
import io.vouch.cli.options.JsonOutputOption;
import io.vouch.core.WireNumbers;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.models.PublishedModel;
import io.vouch.sdk.onchain.OnChainVerification;
import io.vouch.sdk.onchain.RequestRecord;
import io.vouch.sdk.onchain.Settled;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vouch request show|settle|refund ID}: an on-chain request's life from the command line.
 * Before, only the SDK ({@code settle(handle)}) and the contract could move a stuck request.
 *
 * <p>{@code settle} is the keeper move anyone may make: finalize a submitted result once its
 * challenge window has passed, or — after the deadline of an assigned request — reassign it to
 * another eligible node or, when none is left or the attempts are used up, refund the fee. {@code
 * refund} is that second move alone: the hub has no refund on demand, so it refunds exactly when
 * {@code settle} would, says so when the hub reassigned instead, and refuses a request that has a
 * result ({@code settle} finalizes that one; the unused part of the fee comes back then).
 */
@Command(
    name = "request",
    mixinStandardHelpOptions = true,
    description = "Follow an on-chain request and move a stuck one: show, settle, refund.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch request show 7",
      "  vouch request settle 7",
      "  vouch request refund 7 --json"
    },
    subcommands = {
      RequestCommand.Show.class,
      RequestCommand.Settle.class,
      RequestCommand.Refund.class
    })
public final class RequestCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What the three commands share: the connection, the id, {@code --json}. */
  abstract static class RequestArgs {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();

    @Parameters(
        index = "0",
        paramLabel = "ID",
        description =
            "The request's number on the InferenceHub (vouch infer --on-chain prints it).")
    String id;

    @CommandLine.Mixin JsonOutputOption output = new JsonOutputOption();

    BigInteger requestId() {
      try {
        BigInteger n = WireNumbers.uint256(id.strip(), "ID");
        if (n.signum() == 0) {
          throw new IllegalArgumentException("request ids start at 1");
        }
        return n;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "ID must be a request number (vouch infer --on-chain prints it), got '"
                + id
                + "': "
                + e.getMessage());
      }
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Show where an on-chain request stands: state, model, level, the node holding it and its"
            + " deadline, the fee escrowed and how it splits, the output hash, finality, the"
            + " transactions that moved it, and how the chain verified the result: the"
            + " VerificationCourt's case of each submission (audit lottery, committee, verdicts"
            + " cast, quorum, state), or that the request was not routed through the court; for a"
            + " TEE result, the enclave key that signed it and the committee that approved it"
            + " (its KeyApproval case).",
        "Times are chain time (the latest block's), the clock the hub checks."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  vouch request show 7", "  vouch request show 7 --json"})
  static final class Show extends RequestArgs implements Callable<Integer> {
    @Override
    public Integer call() {
      try (VouchClient vouch = connection.connect()) {
        RequestRecord r = vouch.request(requestId());
        Optional<String> ref = modelRef(vouch, r);
        OnChainVerification v = vouch.verification(requestId());
        if (output.json()) {
          ObjectNode n = toJson(r, ref);
          n.set("verification", VerificationText.toJson(v));
          out().println(n.toPrettyString());
        } else {
          print(out(), r, ref, Optional.of(v));
          VerificationText.print(out(), "  verified   ", "  ", v);
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "settle",
      mixinStandardHelpOptions = true,
      description = {
        "Move an on-chain request on, as any keeper may: finalize a submitted result once its"
            + " challenge window has passed (node and model owner paid, the rest refunded), or"
            + " after the deadline of an assigned request reassign it to another eligible node"
            + " or, when none is left, refund the whole fee.",
        "Sends one transaction from your key (the devnet's user key by default). Exit 1 with"
            + " TOO_EARLY when the window or the deadline has not passed yet (the message says"
            + " when); a settled request is left alone (exit 0)."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  vouch request settle 7", "  vouch request settle 7 --json"})
  static final class Settle extends RequestArgs implements Callable<Integer> {
    @Override
    public Integer call() {
      try (VouchClient vouch = connection.connect()) {
        Settled s = vouch.settle(requestId());
        report(out(), output.json(), s, modelRef(vouch, s.after()));
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "refund",
      mixinStandardHelpOptions = true,
      description = {
        "Get the fee of a request no node delivered back: after the deadline of an assigned"
            + " request the hub refunds it when no other eligible node is left or the attempts"
            + " are used up, and otherwise reassigns it (this says which; run it again after the"
            + " new deadline).",
        "A request with a result is refused: vouch request settle finalizes it, and the unused"
            + " part of the fee comes back then. Exit 1 with TOO_EARLY before the deadline."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  vouch request refund 7", "  vouch request refund 7 --json"})
  static final class Refund extends RequestArgs implements Callable<Integer> {
    @Override
    public Integer call() {
      try (VouchClient vouch = connection.connect()) {
        BigInteger id = requestId();
        RequestRecord before = vouch.request(id);
        if (before.state() == RequestRecord.State.SUBMITTED
            || before.state() == RequestRecord.State.FINALIZED) {
          throw new VouchException(
              ErrorCode.BAD_INPUT,
              "request "
                  + id
                  + " has a result ("
                  + before.state()
                  + "), so it is not refunded: "
                  + (before.state() == RequestRecord.State.SUBMITTED
                      ? "vouch request settle "
                          + id
                          + " finalizes it after its challenge window"
                          + " (chain time "
                          + before.finalizableAt()
                          + ") and refunds the unused"
                          + " part of the fee then"
                      : "it was finalized and the unused part of the fee refunded then"));
        }
        Settled s = vouch.settle(id);
        report(out(), output.json(), s, modelRef(vouch, s.after()));
        return ExitCodes.OK;
      }
    }
  }

  /** The model's name@version, when the registry has it (it always should). */
  static Optional<String> modelRef(VouchClient vouch, RequestRecord r) {
    try {
      PublishedModel m = vouch.models().show(r.modelId().toHex());
      return Optional.of(m.ref());
    } catch (VouchException e) {
      return Optional.empty();
    }
  }

  static void report(PrintWriter out, boolean json, Settled s, Optional<String> ref) {
    RequestRecord r = s.after();
    if (json) {
      ObjectNode n = JSON.createObjectNode();
      n.put("action", s.action());
      s.transactionHash().ifPresent(t -> n.put("tx", t));
      n.set("request", toJson(r, ref));
      out.println(n.toPrettyString());
      return;
    }
    String what =
        switch (s.action()) {
          case "finalized" ->
              "finalized: the node and the model owner are paid, the rest of the fee refunded";
          case "refunded" -> "refunded: the whole fee went back to " + r.requester();
          case "reassigned" ->
              "reassigned to "
                  + r.node()
                  + " (attempt "
                  + r.attempts()
                  + " of "
                  + r.maxAttempts()
                  + ", new deadline chain time "
                  + r.deadline()
                  + "): the hub refunds only when no other eligible node is left or the"
                  + " attempts are used up; run this again after the new deadline";
          default -> "nothing to do: it is already " + r.state();
        };
    out.printf("request #%s %s%n", r.requestId(), what);
    s.transactionHash().ifPresent(t -> out.printf("  tx         %s%n", t));
    print(out, r, ref);
  }

  static void print(PrintWriter out, RequestRecord r, Optional<String> ref) {
    print(out, r, ref, Optional.empty());
  }

  static void print(
      PrintWriter out, RequestRecord r, Optional<String> ref, Optional<OnChainVerification> v) {
    out.printf("request #%s  %s%n", r.requestId(), r.state());
    out.printf("  model      %s (%s) at %s%n", ref.orElse("?"), r.modelId(), r.level());
    out.printf("  requester  %s%n", r.requester());
    out.printf("  node       %s (attempt %d of %d)%n", r.node(), r.attempts(), r.maxAttempts());
    if (r.state() == RequestRecord.State.ASSIGNED) {
      out.printf(
          "  deadline   chain time %d (%s), %s%n",
          r.deadline(),
          Instant.ofEpochSecond(r.deadline()),
          r.chainTime() > r.deadline()
              ? "passed: vouch request settle " + r.requestId() + " reassigns or refunds it"
              : "in " + (r.deadline() - r.chainTime()) + " s");
    }
    out.printf(
        "  fee        %s wei escrowed: node %s wei, model fee %s wei, the rest refunded at"
            + " settlement%n",
        r.maxFeeWei(), r.nodePriceWei(), r.modelFeeWei());
    if (!r.outputHash().isZero()) {
      out.printf("  output     hash %s%n", r.outputHash());
    }
    out.printf("  finality   %s%n", finality(r, v));
    for (RequestRecord.Event e : r.history()) {
      out.printf(
          "  %-10s %s  block %d  %s%n", e.kind(), e.transactionHash(), e.blockNumber(), e.detail());
    }
  }

  private static String finality(RequestRecord r, Optional<OnChainVerification> v) {
    boolean byQuorum =
        v.flatMap(OnChainVerification::latest)
            .map(c -> c.kind() == io.vouch.chain.court.CourtCase.Kind.ZKML)
            .orElse(false);
    return switch (r.state()) {
      case ASSIGNED -> "no result yet";
      case SUBMITTED ->
          byQuorum
              ? "SUBMITTED, not final: it settles at a committee's VALID quorum (no window)"
              : r.chainTime() >= r.finalizableAt()
                  ? "SUBMITTED, the challenge window has passed: vouch request settle "
                      + r.requestId()
                      + " finalizes it"
                  : "SUBMITTED, not final: can be challenged until chain time "
                      + r.finalizableAt()
                      + " (in "
                      + (r.finalizableAt() - r.chainTime())
                      + " s)";
      case FINALIZED -> "FINALIZED";
      case REFUNDED -> "none: refunded";
    };
  }

  static ObjectNode toJson(RequestRecord r, Optional<String> ref) {
    ObjectNode n = JSON.createObjectNode();
    n.put("requestId", r.requestId().toString());
    n.put("state", r.state().name());
    n.put("modelId", r.modelId().toHex());
    ref.ifPresent(m -> n.put("model", m));
    n.put("level", r.level().name());
    n.put("requester", r.requester().toHex());
    n.put("node", r.node().toHex());
    n.put("deadline", r.deadline());
    n.put("attempts", r.attempts());
    n.put("maxAttempts", r.maxAttempts());
    n.put("maxFeeWei", r.maxFeeWei().toString());
    n.put("nodePriceWei", r.nodePriceWei().toString());
    n.put("modelFeeWei", r.modelFeeWei().toString());
    n.put("inputHash", r.inputHash().toHex());
    if (!r.outputHash().isZero()) {
      n.put("outputHash", r.outputHash().toHex());
    }
    r.finality().ifPresent(f -> n.put("finality", f.name()));
    if (r.finalizableAt() != 0) {
      n.put("finalizableAt", r.finalizableAt());
    }
    n.put("fastDelivery", r.fastDelivery());
    n.put("chainTime", r.chainTime());
    ArrayNode txs = n.putArray("transactions");
    for (RequestRecord.Event e : r.history()) {
      txs.addObject()
          .put("kind", e.kind())
          .put("tx", e.transactionHash())
          .put("block", e.blockNumber())
          .put("detail", e.detail());
    }
    return n;
  }
}
