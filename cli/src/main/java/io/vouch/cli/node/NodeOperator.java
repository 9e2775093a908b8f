package io.vouch.cli.node;

import io.vouch.chain.tx.TransactionSender;
import io.vouch.cli.options.ConnectionOptions;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.node.chain.NodeDeparture;
import io.vouch.sdk.VouchConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine;

/**
 * A node operator's connection for {@code vouch node unregister|withdraw}: the chain and deployment
 * of {@link ConnectionOptions}, and the node's own key, which must be given ({@code --key}): the
 * devnet's default user key is a requester, not a node.
 */
final class NodeOperator implements AutoCloseable {
  private final Web3j web3j;
  final NodeDeparture departure;

  private NodeOperator(Web3j web3j, NodeDeparture departure) {
    this.web3j = web3j;
    this.departure = departure;
  }

  static NodeOperator connect(ConnectionOptions connection, CommandLine cl) {
    if (!connection.keyGiven()) {
      throw new CommandLine.ParameterException(
          cl,
          "--key is required: the node's own private key (a devnet lists its nodes' keys in"
              + " .vouch/devnet/devnet.json)");
    }
    VouchConfig config = connection.config();
    Web3j web3j = Web3j.build(new HttpService(config.rpcUrl().toString()));
    try {
      long chainId = web3j.ethChainId().send().getChainId().longValueExact();
      if (chainId != config.deployment().chainId()) {
        throw new VouchException(
            ErrorCode.CHAIN_ERROR,
            "the RPC endpoint serves chain "
                + chainId
                + " but the deployment is on chain "
                + config.deployment().chainId());
      }
      TransactionSender sender = TransactionSender.create(web3j, config.key().orElseThrow());
      return new NodeOperator(web3j, new NodeDeparture(sender, config.deployment()));
    } catch (IOException e) {
      web3j.shutdown();
      throw new VouchException(
          ErrorCode.NODE_UNAVAILABLE,
          "cannot reach the chain at " + config.rpcUrl() + ": " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      web3j.shutdown();
      throw e;
    }
  }

  /** Whether something still answers {@code /health} at the node's registered endpoint. */
  static boolean stillServing(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return false;
    }
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
