package io.vouch.cli.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.ExitCodes;
import io.vouch.node.chain.NodeDeparture;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code vouch node withdraw}: the stake back after the unbonding delay. */
@Command(
    name = "withdraw",
    mixinStandardHelpOptions = true,
    description = {
      "Take an unregistered node's stake back once the unbonding delay has passed.",
      "The node's entry leaves the NodeRegistry and its stake goes to the node's address. Before"
          + " the delay has passed this exits 1 with TOO_EARLY and says when it can (chain time);"
          + " a node that never ran vouch node unregister is refused (exit 2). Stop the node"
          + " process first: a running node registers again, with stake, when it next starts or"
          + " loads a model."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch node withdraw --key 0x<node key, 64 hex>",
      "  vouch node withdraw --key 0x<64 hex> --json"
    })
public final class NodeWithdrawCommand extends NodeOperatorCommand {
  @Override
  int run(NodeOperator op, PrintWriter out) {
    String endpoint = op.departure.standing().endpoint();
    NodeDeparture.Withdrawal w = op.departure.withdraw();
    boolean serving = NodeOperator.stillServing(endpoint);
    if (output.json()) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("node", w.node().toHex());
      n.put("tx", w.transactionHash());
      n.put("amountWei", w.amountWei().toString());
      n.put("stillServing", serving);
      out.println(n.toPrettyString());
    } else {
      out.printf("node %s withdrew its stake: %s wei%n", w.node(), w.amountWei());
      out.printf("  tx         %s%n", w.transactionHash());
    }
    if (serving) {
      spec.commandLine()
          .getErr()
          .printf(
              "vouch node withdraw: note: %s still answers; stop that node process, or it"
                  + " registers again (with stake) when it next starts or loads a model%n",
              endpoint);
    }
    return ExitCodes.OK;
  }
}
