package io.vouch.node;

import io.vouch.core.Address;
import io.vouch.core.crypto.Secp256k1;

/**
 * What a node needs to start. {@link io.vouch.node.assembly.NodeAssembly} builds it from a {@link
 * io.vouch.node.assembly.NodeSetup} (which the CLI's option groups produce from flags, environment
 * and a config file).
 *
 * @param host interface the HTTP API binds to
 * @param port HTTP port; 0 picks a free one
 * @param key the node's staked secp256k1 key (signs receipts)
 * @param chainId chain id of the EIP-712 domain
 * @param hub InferenceHub address of the EIP-712 domain
 * @param maxInputElements largest input tensor accepted
 * @param maxBodyBytes the cap on any HTTP request body ({@code POST /v1/infer} accepts what the
 *     largest input of the models served takes, under this cap)
 * @param priceWei price per request advertised in the registry
 */
public record NodeConfig(
    String host,
    int port,
    Secp256k1.KeyPair key,
    long chainId,
    Address hub,
    long maxInputElements,
    long maxBodyBytes,
    java.math.BigInteger priceWei) {

  public static final long DEFAULT_MAX_INPUT_ELEMENTS = 1 << 20;
  public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;

  public NodeConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (priceWei.signum() < 0) {
      throw new IllegalArgumentException("price must not be negative");
    }
    if (maxInputElements <= 0 || maxBodyBytes <= 0) {
      throw new IllegalArgumentException("size limits must be positive");
    }
  }
}
