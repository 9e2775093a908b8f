package io.vouch.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.core.Bytes32;
import org.junit.jupiter.api.Test;

class NodeProtocolTest {
  @Test
  void aProofAndAReceiptProofHaveTheirPaths() {
    Bytes32 h = Bytes32.fromHex("0x" + "0a".repeat(32));

    assertThat(NodeProtocol.proofPath(h)).isEqualTo("/v1/proofs/0x" + "0a".repeat(32));
    assertThat(NodeProtocol.receiptProofPath(h))
        .isEqualTo("/v1/receipts/0x" + "0a".repeat(32) + "/proof");
  }

  @Test
  void theMediaTypeIgnoresParametersAndCase() {
    assertThat(NodeProtocol.isTensor("Application/Vnd.Vouch.Tensor; v=1")).isTrue();
    assertThat(NodeProtocol.isTensor("application/vnd.vouch.tensorx")).isFalse();
    assertThat(NodeProtocol.mediaType(null)).isEmpty();
  }

  @Test
  void anAcceptWithQualityZeroRefusesTheType() {
    assertThat(NodeProtocol.accepts(NodeProtocol.ACCEPT_TENSOR, NodeProtocol.TENSOR_MEDIA_TYPE))
        .isTrue();
    assertThat(
            NodeProtocol.accepts(
                "application/vnd.vouch.tensor;q=0", NodeProtocol.TENSOR_MEDIA_TYPE))
        .isFalse();
    assertThat(NodeProtocol.accepts(null, NodeProtocol.TENSOR_MEDIA_TYPE)).isFalse();
  }
}
