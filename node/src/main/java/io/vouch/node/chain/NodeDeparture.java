package io.vouch.node.chain;

import io.vouch.chain.ChainException;
import io.vouch.chain.ChainHead;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.registry.NodeRegistryError;
import io.vouch.chain.tx.ContractRevertException;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.math.BigInteger;
import java.util.concurrent.Callable;

/**
 * A node leaving the NodeRegistry, in the contract's two steps: {@link #unregister()} asks to
 * unbond (no new assignments from then on; the stake stays slashable for the unbonding delay, so
 * that every result the node gave can still be challenged), and {@link #withdraw()} takes the stake
 * back once the delay has passed. Both are the node operator's own transactions, signed with the
 * node's key. Times are chain time (the latest block's timestamp), the clock the contract checks.
 *
 * <p>A node process that still runs registers again, with stake, when it next starts or loads a
 * model after a withdrawal: stop it first.
 */
public final class NodeDeparture {
  private final TransactionSender sender;
  private final NodeRegistryClient registry;
  private final VouchDeployment deployment;

  public NodeDeparture(TransactionSender sender, VouchDeployment deployment) {
    this.sender = sender;
    this.deployment = deployment;
    this.registry = new NodeRegistryClient(sender, deployment);
  }

  /**
   * The node's standing.
   *
   * @param unbondingSince chain time it asked to leave; 0 while bonded
   * @param withdrawableAt chain time from which {@link #withdraw()} succeeds; 0 while bonded
   */
  public record Standing(
      Address node,
      boolean registered,
      String endpoint,
      BigInteger stakeWei,
      long unbondingSince,
      long withdrawableAt,
      long chainTime) {
    public boolean unbonding() {
      return unbondingSince != 0;
    }
  }

  /** What {@link #unregister()} did. */
  public record Unbonding(Address node, String transactionHash, long withdrawableAt) {}

  /** What {@link #withdraw()} did. */
  public record Withdrawal(Address node, String transactionHash, BigInteger amountWei) {}

  public Address node() {
    return sender.address();
  }

  public Standing standing() {
    NodeRegistryClient.NodeInfo info =
        call("reading node " + node(), () -> registry.nodeInfo(node()));
    long since = info.unbondingSince();
    long delay = call("reading the unbonding delay", registry::unbondingDelaySeconds);
    return new Standing(
        node(),
        info.registered(),
        info.endpoint(),
        info.stakeWei(),
        since,
        since == 0 ? 0 : since + delay,
        chainTime());
  }

  /**
   * Asks to unbond. Already unbonding is not an error: the answer is the same withdrawal time, with
   * no new transaction ({@code transactionHash} empty).
   *
   * @throws VouchException BAD_INPUT when the key is not a registered node
   */
  public Unbonding unregister() {
    Standing s = standing();
    if (!s.registered()) {
      throw notRegistered();
    }
    if (s.unbonding()) {
      return new Unbonding(node(), "", s.withdrawableAt());
    }
    NodeRegistryClient.Unbonding u = call("unregistering " + node(), registry::requestUnbond);
    return new Unbonding(node(), u.transactionHash(), u.availableAt());
  }

  /**
   * Takes the stake back after the unbonding delay.
   *
   * @throws VouchException TOO_EARLY (with the chain time it becomes possible) before the delay has
   *     passed; BAD_INPUT when the node is not registered or has not asked to unbond
   */
  public Withdrawal withdraw() {
    Standing s = standing();
    if (!s.registered()) {
      throw notRegistered();
    }
    if (!s.unbonding()) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "node "
              + node()
              + " has not asked to leave; unregister it first (vouch node unregister), then"
              + " withdraw after the unbonding delay");
    }
    if (s.chainTime() < s.withdrawableAt()) {
      throw tooEarly(s.withdrawableAt(), s.chainTime());
    }
    NodeRegistryClient.Withdrawal w;
    try {
      w = call("withdrawing the stake of " + node(), registry::withdraw);
    } catch (ContractRevertException e) {
      if (NodeRegistryError.UNBONDING_NOT_FINISHED.matches(e)) {
        throw tooEarly(Long.parseLong(e.argument("availableAt").toString()), chainTime());
      }
      throw e;
    }
    return new Withdrawal(node(), w.transactionHash(), w.amountWei());
  }

  private VouchException tooEarly(long at, long now) {
    return new VouchException(
        ErrorCode.TOO_EARLY,
        "the stake of node "
            + node()
            + " can be withdrawn from chain time "
            + at
            + " ("
            + java.time.Instant.ofEpochSecond(at)
            + ", in "
            + humanDuration(at - now)
            + "): the unbonding delay keeps it slashable while its results can be challenged;"
            + " run vouch node withdraw again then");
  }

  /** {@code 23h 59m 40s}, {@code 12s}. */
  public static String humanDuration(long seconds) {
    long s = Math.max(0, seconds);
    long d = s / 86_400;
    long h = s % 86_400 / 3_600;
    long m = s % 3_600 / 60;
    StringBuilder b = new StringBuilder();
    if (d > 0) {
      b.append(d).append("d ");
    }
    if (d > 0 || h > 0) {
      b.append(h).append("h ");
    }
    if (d > 0 || h > 0 || m > 0) {
      b.append(m).append("m ");
    }
    return b.append(s % 60).append('s').toString();
  }

  private VouchException notRegistered() {
    return new VouchException(
        ErrorCode.BAD_INPUT,
        "no node "
            + node()
            + " is registered in the NodeRegistry "
            + deployment.nodeRegistry()
            + " (never registered, or already withdrawn); check --key and the deployment");
  }

  private long chainTime() {
    return call("reading the latest block", () -> ChainHead.time(sender.web3j()));
  }

  private static <T> T call(String what, Callable<T> c) {
    try {
      return c.call();
    } catch (ContractRevertException | VouchException e) {
      throw e;
    } catch (ChainException e) {
      throw new VouchException(
          ErrorCode.CHAIN_ERROR,
          what
              + " failed: "
              + e.getMessage()
              + (e.getCause() instanceof java.io.IOException ? " (is the RPC endpoint up?)" : ""),
          e);
    } catch (Exception e) {
      throw new VouchException(
          ErrorCode.CHAIN_ERROR,
          what + " failed: " + e.getMessage() + " (is the RPC endpoint up?)",
          e);
    }
  }
}
