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
 * How the SDK reaches a node on the direct path (like web3j's {@code Web3jService}: the client does
 * not care how bytes travel). Implementations throw {@link io.vouch.sdk.VouchClientException} with
 * {@code NODE_UNAVAILABLE} when the node cannot be reached, and the node's own error code when it
 * answered with an error. The outcome is not verified yet.
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

  @Override
  default void close() {}

  /**
   * The node HTTP API ({@code POST /v1/infer}, binary form for VANILLA and TEE) with one {@link
   * NodeClient} and its kept-alive connections per endpoint; {@link #close()} closes them.
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
      public void close() {
        clients.values().forEach(NodeClient::close);
        clients.clear();
      }
    };
  }
}
