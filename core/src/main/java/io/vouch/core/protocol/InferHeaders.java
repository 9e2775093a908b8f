package io.vouch.core.protocol;

import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.WireNumbers;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.eip712.SignedReceipt;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The {@code Vouch-*} headers of {@code POST /v1/infer}'s binary form: the request's fields (the
 * body is the input's canonical encoding) and the answer's receipt (the body is the output's). Each
 * side is encoded into an ordered header map and decoded from a lookup by lower-case header name,
 * which is how both the node's server and the SDK's client hand headers over.
 */
public final class InferHeaders {
  private InferHeaders() {}

  public static final String MODEL = "Vouch-Model";
  public static final String LEVEL = "Vouch-Level";
  public static final String REQUEST_ID = "Vouch-Request-Id";
  public static final String VOUCHER_PAYER = "Vouch-Voucher-Payer";
  public static final String VOUCHER_NODE = "Vouch-Voucher-Node";
  public static final String VOUCHER_CUMULATIVE_AMOUNT = "Vouch-Voucher-Cumulative-Amount";
  public static final String VOUCHER_SIGNATURE = "Vouch-Voucher-Signature";

  public static final String MODEL_ID = "Vouch-Model-Id";
  public static final String INPUT_HASH = "Vouch-Input-Hash";
  public static final String OUTPUT_HASH = "Vouch-Output-Hash";
  public static final String EVIDENCE_HASH = "Vouch-Evidence-Hash";
  public static final String NODE = "Vouch-Node";
  public static final String TIMESTAMP = "Vouch-Timestamp";
  public static final String SEQUENCE = "Vouch-Sequence";
  public static final String SIGNATURE = "Vouch-Signature";
  public static final String CHAIN_ID = "Vouch-Chain-Id";
  public static final String HUB = "Vouch-Hub";
  public static final String EXECUTION_MICROS = "Vouch-Execution-Micros";
  public static final String RECEIPT_DIGEST = "Vouch-Receipt-Digest";
  public static final String PAYMENT_PAYER = "Vouch-Payment-Payer";
  public static final String PAYMENT_CUMULATIVE_AMOUNT = "Vouch-Payment-Cumulative-Amount";
  public static final String PAYMENT_PRICE = "Vouch-Payment-Price";

  /** The longest value a {@code Vouch-*} header may have (a model reference is the longest). */
  public static final int MAX_VALUE_CHARS = 512;

  /** A voucher carried by a request: the payer's signature on a cumulative amount for a node. */
  public record Voucher(
      Address payer, Optional<Address> node, BigInteger cumulativeAmount, Signature signature) {}

  /**
   * A binary request's fields.
   *
   * @param level empty: the node's default (VANILLA)
   * @param requestId empty: the node draws one
   */
  public record Request(
      String model,
      Optional<VerificationLevel> level,
      Optional<Bytes32> requestId,
      Optional<Voucher> voucher) {}

  /** What a paid answer says was paid. */
  public record Payment(Address payer, BigInteger cumulativeAmount, BigInteger price) {}

  /**
   * A binary answer's fields.
   *
   * @param model the model reference the node ran (id or name@version)
   * @param executionMicros and {@code receiptDigest}: informative, absent from other nodes' answers
   */
  public record Result(
      SignedReceipt receipt,
      String model,
      Eip712Domain domain,
      OptionalLong executionMicros,
      Optional<Bytes32> receiptDigest,
      Optional<Payment> payment) {}

  public static Map<String, String> encode(Request r) {
    Map<String, String> h = new LinkedHashMap<>();
    put(h, MODEL, r.model());
    r.level().ifPresent(l -> h.put(LEVEL, l.name().toLowerCase(Locale.ROOT)));
    r.requestId().ifPresent(id -> h.put(REQUEST_ID, id.toHex()));
    r.voucher()
        .ifPresent(v -> {
          h.put(VOUCHER_PAYER, v.payer().toHex());
          v.node().ifPresent(n -> h.put(VOUCHER_NODE, n.toHex()));
          h.put(VOUCHER_CUMULATIVE_AMOUNT, v.cumulativeAmount().toString());
          h.put(VOUCHER_SIGNATURE, v.signature().toHex());
        });
    return h;
  }

  /**
   * A binary request's fields from its headers.
   *
   * @param header a header's value by lower-case name, null when absent
   * @throws ProtocolException naming the header that is missing, malformed or too long
   */
  public static Request decodeRequest(Function<String, String> header) {
    String model = required(header, MODEL);
    check(MODEL, model);
    if (model.isBlank()) {
      throw new ProtocolException(
          "header '" + MODEL + "' is required with the binary form (a model id or name@version)");
    }
    Optional<VerificationLevel> level =
        optional(header, LEVEL).map(v -> parse(LEVEL, v, VerificationLevel::parse));
    Optional<Bytes32> requestId =
        optional(header, REQUEST_ID).map(v -> parse(REQUEST_ID, v, Bytes32::fromHex));
    return new Request(model, level, requestId, voucher(header));
  }

  /** Four headers together (the node optional), or none of them. */
  private static Optional<Voucher> voucher(Function<String, String> header) {
    Optional<String> payer = optional(header, VOUCHER_PAYER);
    Optional<String> amount = optional(header, VOUCHER_CUMULATIVE_AMOUNT);
    Optional<String> signature = optional(header, VOUCHER_SIGNATURE);
    Optional<String> node = optional(header, VOUCHER_NODE);
    if (payer.isEmpty() && amount.isEmpty() && signature.isEmpty() && node.isEmpty()) {
      return Optional.empty();
    }
    if (payer.isEmpty() || amount.isEmpty() || signature.isEmpty()) {
      throw new ProtocolException(
          "a voucher needs the headers "
              + VOUCHER_PAYER
              + ", "
              + VOUCHER_CUMULATIVE_AMOUNT
              + " (decimal wei) and "
              + VOUCHER_SIGNATURE
              + " together");
    }
    return Optional.of(
        new Voucher(
            parse(VOUCHER_PAYER, payer.get(), Address::fromHex),
            node.map(n -> parse(VOUCHER_NODE, n, Address::fromHex)),
            uint256(header, VOUCHER_CUMULATIVE_AMOUNT),
            parse(VOUCHER_SIGNATURE, signature.get(), Signature::fromHex)));
  }

  public static Map<String, String> encode(Result r) {
    InferenceReceipt receipt = r.receipt().receipt();
    Map<String, String> h = new LinkedHashMap<>();
    h.put(REQUEST_ID, receipt.requestId().toHex());
    h.put(MODEL_ID, receipt.modelId().toHex());
    put(h, MODEL, r.model());
    h.put(LEVEL, receipt.level().name());
    h.put(INPUT_HASH, receipt.inputHash().toHex());
    h.put(OUTPUT_HASH, receipt.outputHash().toHex());
    h.put(EVIDENCE_HASH, receipt.evidenceHash().toHex());
    h.put(NODE, receipt.node().toHex());
    h.put(TIMESTAMP, Long.toString(receipt.timestamp()));
    h.put(SEQUENCE, Long.toString(receipt.sequence()));
    h.put(SIGNATURE, r.receipt().signature().toHex());
    h.put(CHAIN_ID, Long.toString(r.domain().chainId()));
    h.put(HUB, r.domain().verifyingContract().toHex());
    r.executionMicros().ifPresent(m -> h.put(EXECUTION_MICROS, Long.toString(m)));
    r.receiptDigest().ifPresent(d -> h.put(RECEIPT_DIGEST, d.toHex()));
    r.payment()
        .ifPresent(p -> {
          h.put(PAYMENT_PAYER, p.payer().toHex());
          h.put(PAYMENT_CUMULATIVE_AMOUNT, p.cumulativeAmount().toString());
          h.put(PAYMENT_PRICE, p.price().toString());
        });
    return h;
  }

  /**
   * A binary answer's fields from its headers.
   *
   * @param header a header's value by lower-case name, null when absent
   * @throws ProtocolException naming the header that is missing, malformed or too long
   */
  public static Result decodeResult(Function<String, String> header) {
    InferenceReceipt receipt =
        new InferenceReceipt(
            bytes32(header, REQUEST_ID),
            bytes32(header, MODEL_ID),
            bytes32(header, INPUT_HASH),
            bytes32(header, OUTPUT_HASH),
            parse(LEVEL, required(header, LEVEL), VerificationLevel::parse),
            bytes32(header, EVIDENCE_HASH),
            address(header, NODE),
            uint63(header, TIMESTAMP),
            uint63(header, SEQUENCE));
    Signature signature = parse(SIGNATURE, required(header, SIGNATURE), Signature::fromHex);
    Eip712Domain domain = Eip712Domain.of(uint63(header, CHAIN_ID), address(header, HUB));
    OptionalLong micros =
        optional(header, EXECUTION_MICROS)
            .map(v -> OptionalLong.of(uint63(EXECUTION_MICROS, v)))
            .orElse(OptionalLong.empty());
    Optional<Bytes32> digest =
        optional(header, RECEIPT_DIGEST).map(v -> parse(RECEIPT_DIGEST, v, Bytes32::fromHex));
    Optional<Payment> payment = Optional.empty();
    if (optional(header, PAYMENT_PAYER).isPresent()) {
      payment =
          Optional.of(
              new Payment(
                  address(header, PAYMENT_PAYER),
                  uint256(header, PAYMENT_CUMULATIVE_AMOUNT),
                  uint256(header, PAYMENT_PRICE)));
    }
    String model = required(header, MODEL);
    check(MODEL, model);
    return new Result(
        new SignedReceipt(receipt, signature), model, domain, micros, digest, payment);
  }

  private static void put(Map<String, String> h, String name, String value) {
    check(name, value);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new ProtocolException(
            "header "
                + name
                + " must be printable ASCII (no line breaks or control characters): '"
                + printable(value)
                + "'");
      }
    }
    h.put(name, value);
  }

  private static Optional<String> optional(Function<String, String> header, String name) {
    String v = header.apply(name.toLowerCase(Locale.ROOT));
    return v == null ? Optional.empty() : Optional.of(v.strip());
  }

  private static String required(Function<String, String> header, String name) {
    return optional(header, name)
        .orElseThrow(() -> new ProtocolException("header " + name + " is missing"));
  }

  private static void check(String name, String value) {
    if (value.length() > MAX_VALUE_CHARS) {
      throw new ProtocolException(
          "header "
              + name
              + " is "
              + value.length()
              + " characters long; at most "
              + MAX_VALUE_CHARS
              + " are accepted");
    }
  }

  private static <T> T parse(String name, String value, Function<String, T> parser) {
    check(name, value); // numbers are bounded by WireNumbers, which says so in digits
    try {
      return parser.apply(value);
    } catch (ProtocolException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          "header " + name + " is malformed ('" + printable(value) + "'): " + e.getMessage(), e);
    }
  }

  private static Bytes32 bytes32(Function<String, String> header, String name) {
    return parse(name, required(header, name), Bytes32::fromHex);
  }

  private static Address address(Function<String, String> header, String name) {
    return parse(name, required(header, name), Address::fromHex);
  }

  private static long uint63(Function<String, String> header, String name) {
    return uint63(name, required(header, name));
  }

  private static long uint63(String name, String value) {
    try {
      return WireNumbers.uint63(value, "header " + name);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage(), e);
    }
  }

  private static BigInteger uint256(Function<String, String> header, String name) {
    try {
      return WireNumbers.uint256(required(header, name), "header " + name);
    } catch (ProtocolException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage(), e);
    }
  }

  /** At most 80 characters of a value, control characters as '?'. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return s.length() > 80 ? b + "..." : b.toString();
  }
}
