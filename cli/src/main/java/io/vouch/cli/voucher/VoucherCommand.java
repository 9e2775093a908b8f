package io.vouch.cli.voucher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.options.ConnectionOptions;
import io.vouch.core.Address;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.sdk.VouchClient;
import io.vouch.sdk.VouchConfig;
import io.vouch.sdk.payment.PaymentChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vouch voucher sign}: direct-path payment for clients without the SDK. */
@Command(
    name = "voucher",
    mixinStandardHelpOptions = true,
    description = {
      "Payment vouchers for calling nodes without the SDK (curl).",
      "A node that charges answers 402 with its price, its address (node), heldCumulative, the"
          + " voucherType and EIP-712 domain to sign in; vouch voucher sign makes the voucher to"
          + " send back."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch voucher sign --node http://127.0.0.1:8080 --amount 1000000000000000",
      "  vouch voucher sign --node 0x90f79bf6eb2c4f870365e785982e1f101e93b906 \\",
      "      --amount 2000000000000000 --json > voucher.json"
    },
    subcommands = VoucherCommand.Sign.class)
public final class VoucherCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "sign",
      mixinStandardHelpOptions = true,
      description = {
        "Sign Voucher(payer, node, cumulativeAmount) for a node, locking funds for it first when"
            + " needed.",
        "--amount is the voucher's cumulativeAmount: everything you owe this node so far, not one"
            + " request's price. The first request to a node costs heldCumulative + price from its"
            + " 402 (heldCumulative is 0 until the node knows you); each paid answer's"
            + " payment.cumulativeAmount is what the node then holds. When your channel to the node"
            + " (InferenceHub.fundChannel) cannot cover the amount, the missing part is locked from"
            + " your free deposit first (--deposit-wei tops that up). Signed with --key (a devnet's"
            + " user key by default) in the deployment's EIP-712 domain.",
        "Prints the voucher and how to send it: the JSON form's \"voucher\" object, or the binary"
            + " form's Vouch-Voucher-* headers. With --json, only that object (paste it as the"
            + " request's \"voucher\")."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch voucher sign --node http://127.0.0.1:8080 --amount 1000000000000000",
        "  vouch voucher sign --node http://127.0.0.1:8080 --amount 1000000000000000 \\",
        "      --deposit-wei 10000000000000000 --json > voucher.json"
      })
  static final class Sign implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();

    @Option(
        names = "--node",
        required = true,
        paramLabel = "URL|ADDRESS",
        description = "The node: its URL (its address is read from /health) or its address.")
    String node;

    @Option(
        names = {"--amount", "--cumulative-amount"},
        required = true,
        paramLabel = "WEI",
        description = "The voucher's cumulativeAmount, decimal wei.")
    BigInteger amount;

    @Option(
        names = "--deposit-wei",
        paramLabel = "WEI",
        description = "Add this much to your free deposit in the hub first.")
    BigInteger depositWei;

    @Option(names = "--json", description = "Print only the voucher object (errors as JSON too).")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (amount.signum() <= 0 || amount.bitLength() > 256) {
        throw usage("--amount must be 1 to 2^256-1 wei, got " + amount);
      }
      if (depositWei != null && depositWei.signum() <= 0) {
        throw usage("--deposit-wei must be more than 0, got " + depositWei);
      }
      Address nodeAddress = resolveNode(node);
      VouchConfig config = connection.config();
      Secp256k1.KeyPair key =
          config
              .key()
              .orElseThrow(() -> usage("--key is required: the payer's key signs the voucher"));
      Eip712Domain domain = config.deployment().domain();
      try (VouchClient vouch = VouchClient.connect(config)) {
        PaymentChannel payments = vouch.payments();
        if (depositWei != null) {
          var d = payments.deposit(depositWei);
          info(
              out,
              "deposited %s wei (free deposit %s wei) in %s",
              depositWei,
              d.balanceWei(),
              d.transactionHash());
        }
        PaymentChannel.Channel ch = payments.channel(nodeAddress);
        if (amount.compareTo(ch.redeemed()) <= 0) {
          throw new VouchException(
              ErrorCode.BAD_INPUT,
              "node "
                  + nodeAddress
                  + " already redeemed "
                  + ch.redeemed()
                  + " wei of your vouchers; a voucher pays only what exceeds that: sign at least "
                  + ch.redeemed()
                  + " + the price");
        }
        BigInteger missing = amount.subtract(ch.ceiling());
        if (missing.signum() > 0) {
          BigInteger free = payments.balance();
          if (free.compareTo(missing) < 0) {
            throw new VouchException(
                ErrorCode.BAD_INPUT,
                "your channel to node "
                    + nodeAddress
                    + " covers vouchers up to "
                    + ch.ceiling()
                    + " wei and your free deposit is "
                    + free
                    + " wei, "
                    + missing.subtract(free)
                    + " wei short of "
                    + amount
                    + "; add --deposit-wei "
                    + missing.subtract(free));
          }
          String tx = payments.fund(nodeAddress, missing);
          info(out, "locked %s wei of your deposit for node %s in %s", missing, nodeAddress, tx);
        }
        PaymentVoucher voucher = new PaymentVoucher(key.address(), nodeAddress, amount);
        Signature signature = voucher.sign(domain, key);
        ObjectNode v =
            JSON.createObjectNode()
                .put("payer", key.address().toHex())
                .put("node", nodeAddress.toHex())
                .put("cumulativeAmount", amount.toString())
                .put("signature", signature.toHex());
        if (json) {
          out.println(v.toString());
          return ExitCodes.OK;
        }
        out.printf(
            "voucher    %s%n           payer %s, node %s, cumulativeAmount %s wei%n",
            PaymentVoucher.TYPE, key.address(), nodeAddress, amount);
        out.printf(
            "domain     name %s, version %s, chainId %d, verifyingContract %s%n",
            domain.name(), domain.version(), domain.chainId(), domain.verifyingContract());
        out.printf("signature  %s%n", signature.toHex());
        out.printf("JSON form  \"voucher\": %s%n", v);
        out.printf(
            "binary     -H 'Vouch-Voucher-Payer: %s' -H 'Vouch-Voucher-Cumulative-Amount: %s'"
                + " -H 'Vouch-Voucher-Signature: %s'%n",
            key.address(), amount, signature.toHex());
        return ExitCodes.OK;
      }
    }

    /** Progress on stderr under --json (stdout holds only the voucher), else on stdout. */
    private void info(PrintWriter out, String format, Object... args) {
      PrintWriter w = json ? spec.commandLine().getErr() : out;
      w.printf(format + "%n", args);
      w.flush();
    }

    /** A node address, or a node URL whose /health names its address. */
    private Address resolveNode(String node) {
      String n = node.strip();
      if (!n.startsWith("http://") && !n.startsWith("https://")) {
        try {
          return Address.fromHex(n);
        } catch (IllegalArgumentException e) {
          throw usage("--node must be a node URL (http://…) or a 0x address, got '" + n + "'");
        }
      }
      URI health = URI.create(n.replaceAll("/+$", "") + "/health");
      HttpResponse<String> r;
      try {
        r =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .build()
                .send(
                    HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new VouchException(
            ErrorCode.NODE_UNAVAILABLE,
            "cannot reach the node at " + n + " (" + e.getMessage() + "); is it up?");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VouchException(ErrorCode.NODE_UNAVAILABLE, "interrupted");
      }
      try {
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() == 200 && body.hasNonNull("node")) {
          return Address.fromHex(body.get("node").asText());
        }
      } catch (IOException | IllegalArgumentException notANode) {
        // Falls through to the message below.
      }
      throw new VouchException(
          ErrorCode.NODE_UNAVAILABLE,
          health
              + " answered "
              + r.statusCode()
              + " without a node address; is "
              + n
              + " a Vouch node?");
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
