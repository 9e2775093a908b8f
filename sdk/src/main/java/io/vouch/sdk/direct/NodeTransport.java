package io.vouch.sdk.direct;

import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.tensor.NamedTensors;
import io.vouch.sdk.InferenceOutcome;
import io.vouch.sdk.payment.SignedVoucher;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the SDK reaches nodes (like web3j's {@code Web3jService}: the client does not care how bytes
 * travel): direct-path inferences and the ZKML proofs that on-chain results commit to. Pass one to
 * {@link io.vouch.sdk.VouchClient#connect(io.vouch.sdk.VouchConfig, NodeTransport)} to route the
 * client's node traffic through it. Implementations throw {@link io.vouch.sdk.VouchClientException}
 * with {@code NODE_UNAVAILABLE} when the node cannot be reached, and the node's own error code when
 * it answered with an error. Nothing it returns is verified yet.
 */
public interface NodeTransport extends AutoCloseable {
  InferenceOutcome infer(
      String endpoint,
      String model,
      NamedTensors inputs,
      VerificationLevel level,
      Bytes32 requestId,
      Duration timeout);

  /**
   * Like the method above, paying with {@code voucher}; a node that wants (more) payment answers
   * with {@link PaymentRequiredException}. Transports that cannot carry vouchers send none.
   */
  default InferenceOutcome infer(
      String endpoint,
      String model,
      NamedTensors inputs,
      VerificationLevel level,
      Bytes32 requestId,
      Duration timeout,
      Optional<SignedVoucher> voucher) {
    return infer(endpoint, model, inputs, level, requestId, timeout);
  }

  /**
   * The proof whose keccak256 is {@code evidenceHash}, from the node at {@code endpoint} ({@code
   * GET /v1/proofs/{hash}}); the caller checks it.
   *
   * @throws io.vouch.sdk.VouchClientException VERIFICATION_FAILED when the node answers without the
   *     proof, NODE_UNAVAILABLE when it cannot be reached
   */
  byte[] proof(String endpoint, Bytes32 evidenceHash, Duration timeout);

  @Override
  default void close() {}

  /**
   * The node HTTP API ({@code POST /v1/infer}, binary form for VANILLA and TEE; {@code GET
   * /v1/proofs/{hash}}) with one {@link NodeClient} and its kept-alive connections per endpoint;
   * {@link #close()} closes them.
   */
  static NodeTransport http(Duration connectTimeout) {
    Map<String, NodeClient> clients = new ConcurrentHashMap<>();
    return new NodeTransport() {
      private NodeClient client(String endpoint) {
        return clients.computeIfAbsent(endpoint, e -> new NodeClient(e, connectTimeout));
      }

      @Override
      public InferenceOutcome infer(
          String endpoint,
          String model,
          NamedTensors inputs,
          VerificationLevel level,
          Bytes32 requestId,
          Duration timeout) {
        return client(endpoint).infer(model, inputs, level, requestId, timeout);
      }

      @Override
      public InferenceOutcome infer(
          String endpoint,
          String model,
          NamedTensors inputs,
          VerificationLevel level,
          Bytes32 requestId,
          Duration timeout,
          Optional<SignedVoucher> voucher) {
        return client(endpoint).infer(model, inputs, level, requestId, timeout, voucher);
      }

      @Override
      public byte[] proof(String endpoint, Bytes32 evidenceHash, Duration timeout) {
        return client(endpoint).proof(evidenceHash, timeout);
      }

      @Override
      public void close() {
        clients.values().forEach(NodeClient::close);
        clients.clear();
      }
    };
  }
}
