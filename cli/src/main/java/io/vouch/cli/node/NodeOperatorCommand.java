package io.vouch.cli.node;

import io.vouch.cli.options.ConnectionOptions;
import io.vouch.cli.options.JsonOutputOption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What {@code vouch node unregister} and {@code vouch node withdraw} share: the network and the
 * node's own key ({@link ConnectionOptions}, the key required: {@link NodeOperator}), and {@code
 * --json}.
 */
abstract class NodeOperatorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin ConnectionOptions connection = new ConnectionOptions();
  @CommandLine.Mixin JsonOutputOption output = new JsonOutputOption();

  @Override
  public final Integer call() {
    try (NodeOperator op = NodeOperator.connect(connection, spec.commandLine())) {
      return run(op, spec.commandLine().getOut());
    }
  }

  /** The command's move, signed with the node's key; returns the exit code. */
  abstract int run(NodeOperator op, PrintWriter out);
}
