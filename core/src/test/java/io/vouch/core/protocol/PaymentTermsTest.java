package io.vouch.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.PaymentVoucher;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 402 body: written by the node, read by the SDK, checked field by field. */
class PaymentTermsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Secp256k1.KeyPair PAYER =
      Secp256k1.KeyPair.fromPrivateKey(Bytes32.fromHex("0x" + "07".repeat(32)));
  static final Address NODE = Address.fromHex("0x" + "ab".repeat(20));
  static final Eip712Domain DOMAIN =
      Eip712Domain.of(31337, Address.fromHex("0x" + "cd".repeat(20)));

  static PaymentTerms terms() {
    BigInteger held = BigInteger.valueOf(5_000);
    return new PaymentTerms(
        "pay 1000 wei more",
        BigInteger.valueOf(1_000),
        held,
        Optional.of(
            new PaymentTerms.HeldVoucher(
                held, new PaymentVoucher(PAYER.address(), NODE, held).sign(DOMAIN, PAYER))),
        NODE,
        Optional.of(DOMAIN));
  }

  static JsonNode wire(PaymentTerms t) throws Exception {
    return JSON.readTree(JSON.writeValueAsBytes(t.toJson()));
  }

  @Test
  void termsReadBackAsWritten() throws Exception {
    PaymentTerms sent = terms();

    assertThat(PaymentTerms.fromJson(wire(sent))).isEqualTo(sent);
  }

  @Test
  void theBodyCarriesWhatAClientWithoutTheSdkNeedsToSign() throws Exception {
    JsonNode body = wire(terms());

    assertThat(body.get("error").asText()).isEqualTo("PAYMENT_REQUIRED");
    assertThat(body.get("voucherType").asText()).isEqualTo(PaymentVoucher.TYPE);
    assertThat(body.at("/domain/chainId").asLong()).isEqualTo(31337);
    assertThat(body.at("/domain/verifyingContract").asText())
        .isEqualTo(DOMAIN.verifyingContract().toHex());
  }

  @Test
  void termsWithoutDomainOrHeldVoucherStillRead() throws Exception {
    PaymentTerms bare =
        new PaymentTerms(
            "pay", BigInteger.TEN, BigInteger.ZERO, Optional.empty(), NODE, Optional.empty());

    assertThat(PaymentTerms.fromJson(wire(bare))).isEqualTo(bare);
  }

  @ParameterizedTest
  @ValueSource(strings = {"price", "heldCumulative", "node"})
  void aMissingFieldIsNamed(String field) throws Exception {
    ObjectNode body = (ObjectNode) wire(terms());
    body.remove(field);

    assertThatThrownBy(() -> PaymentTerms.fromJson(body))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("field '" + field + "' is missing");
  }

  @Test
  void hostileNumbersAreRefusedBeforeTheyAreParsed() throws Exception {
    ObjectNode negative = (ObjectNode) wire(terms());
    negative.put("price", "-1");
    ObjectNode huge = (ObjectNode) wire(terms());
    huge.put("heldCumulative", "9".repeat(100_000));
    ObjectNode exponent = (ObjectNode) wire(terms());
    exponent.put("price", 1e30);

    assertThatThrownBy(() -> PaymentTerms.fromJson(negative))
        .hasMessageContaining("'price' must be decimal digits only");
    assertThatThrownBy(() -> PaymentTerms.fromJson(huge))
        .hasMessageContaining("'heldCumulative' has 100000 characters");
    assertThatThrownBy(() -> PaymentTerms.fromJson(exponent))
        .hasMessageContaining("'price' must be decimal digits only");
  }

  @Test
  void aMalformedSignatureOrAddressIsNamed() throws Exception {
    ObjectNode badSignature = (ObjectNode) wire(terms());
    ((ObjectNode) badSignature.get("heldVoucher")).put("signature", "0x1234");
    ObjectNode badNode = (ObjectNode) wire(terms());
    badNode.put("node", "0x" + "zz".repeat(20));

    assertThatThrownBy(() -> PaymentTerms.fromJson(badSignature))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("'heldVoucher.signature' is malformed");
    assertThatThrownBy(() -> PaymentTerms.fromJson(badNode))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("'node' is malformed");
  }

  @Test
  void anotherErrorOrANonObjectIsNotPaymentTerms() throws Exception {
    assertThatThrownBy(() -> PaymentTerms.fromJson(JSON.readTree("[1,2]")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("a 402 body must be a JSON object");
    assertThatThrownBy(() ->
            PaymentTerms.fromJson(JSON.readTree("{\"error\":\"BAD_INPUT\",\"message\":\"x\"}")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("must be PAYMENT_REQUIRED, not 'BAD_INPUT'");
  }
}
