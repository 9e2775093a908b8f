package io.vouch.cli.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.ExitCodes;
import io.vouch.node.chain.NodeDeparture;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;

/** {@code vouch node unregister}: the node asks to leave the NodeRegistry (requestUnbond). */
@Command(
    name = "unregister",
    mixinStandardHelpOptions = true,
    description = {
      "Take a node out of service: it asks the NodeRegistry to unbond.",
      "From that transaction on no request is planned for it or assigned to it; it should keep"
          + " running until the requests it holds are done. Its stake stays slashable for the"
          + " registry's unbonding delay, while its results can still be challenged; then vouch"
          + " node withdraw takes the stake back. Signed with the node's own key. A node already"
          + " unbonding is not an error: it says when the stake can be withdrawn."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch node unregister --key 0x<node key, 64 hex>",
      "  vouch node unregister --key 0x<64 hex> --rpc http://127.0.0.1:8545 \\",
      "      --deployment deployment.json --json"
    })
public final class NodeUnregisterCommand extends NodeOperatorCommand {
  @Override
  int run(NodeOperator op, PrintWriter out) {
    NodeDeparture.Unbonding u = op.departure.unregister();
    NodeDeparture.Standing s = op.departure.standing();
    if (output.json()) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("node", u.node().toHex());
      n.put("unbonding", true);
      n.put("alreadyUnbonding", u.transactionHash().isEmpty());
      if (!u.transactionHash().isEmpty()) {
        n.put("tx", u.transactionHash());
      }
      n.put("stakeWei", s.stakeWei().toString());
      n.put("withdrawableAt", u.withdrawableAt());
      n.put("chainTime", s.chainTime());
      out.println(n.toPrettyString());
    } else {
      out.printf(
          "node %s %s%n",
          u.node(),
          u.transactionHash().isEmpty()
              ? "was already unbonding"
              : "is unbonding: no new requests are planned for it or assigned to it");
      if (!u.transactionHash().isEmpty()) {
        out.printf("  tx         %s%n", u.transactionHash());
      }
      out.printf(
          "  stake      %s wei, withdrawable from chain time %d (%s, in %s): vouch node"
              + " withdraw%n",
          s.stakeWei(),
          u.withdrawableAt(),
          Instant.ofEpochSecond(u.withdrawableAt()),
          NodeDeparture.humanDuration(u.withdrawableAt() - s.chainTime()));
    }
    return ExitCodes.OK;
  }
}
