package io.vouch.node.assembly;

import java.net.URI;
import java.util.Optional;

/**
 * A devnet's faulty node ({@code vouch devnet up --faulty-nodes N}): an ordinary registered
 * inference node that claims a wrong output for {@link #share()} of its VANILLA and ZKML requests,
 * so that audits and proofs have something to catch. Allowed only on a local devnet: the node must
 * be on chain, the deployment on anvil's chain id {@value #DEVNET_CHAIN_ID}, and the RPC on this
 * machine (a loopback address); {@link #refusalFor} says why anything else is refused.
 *
 * @param share the fraction of requests lied on, in (0, 1]
 */
public record DevnetFault(double share) {
  /** Anvil's default chain id, the devnet's. */
  public static final long DEVNET_CHAIN_ID = 31337;

  public DevnetFault {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException(
          "the faulty node's share of wrong outputs must be in (0, 1], got " + share);
    }
  }

  /** Empty when {@code chain} is a local devnet's; otherwise why a faulty node is refused on it. */
  public static Optional<String> refusalFor(ChainConfig chain) {
    String what = "a faulty node (wrong outputs on purpose) runs only on a local devnet";
    String fix = "; vouch devnet up --faulty-nodes N starts one";
    if (!(chain instanceof ChainConfig.OnChain c)) {
      return Optional.of(what + ", on chain; this node has no --rpc and --deployment" + fix);
    }
    if (c.chainId() != DEVNET_CHAIN_ID) {
      return Optional.of(
          what
              + " (anvil's chain "
              + DEVNET_CHAIN_ID
              + "); the deployment is on chain "
              + c.chainId()
              + fix);
    }
    if (!loopback(c.rpcUrl())) {
      return Optional.of(what + " (an RPC on this machine); the RPC is " + c.rpcUrl() + fix);
    }
    return Optional.empty();
  }

  private static boolean loopback(String rpcUrl) {
    try {
      String host = URI.create(rpcUrl).getHost();
      return host != null
          && (host.equals("localhost")
              || host.equals("[::1]")
              || host.equals("::1")
              || host.startsWith("127."));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
