package io.vouch.core.protocol;

import io.vouch.core.Bytes32;
import java.util.Locale;

/** The node API's paths and media types (described in the node's {@code /openapi.json}). */
public final class NodeProtocol {
  private NodeProtocol() {}

  /** {@code POST}: one inference, in JSON or in the binary form ({@link InferHeaders}). */
  public static final String INFER = "/v1/infer";

  /** {@code GET}: the models the node serves. */
  public static final String MODELS = "/v1/models";

  /** {@code POST}, from the node's own host: post the waiting receipts' root, redeem vouchers. */
  public static final String SETTLE = "/v1/settle";

  /** {@code GET}: liveness and identity. */
  public static final String HEALTH = "/health";

  /** {@code GET}: Prometheus text. */
  public static final String METRICS = "/metrics";

  /** {@code GET}: the API's description. */
  public static final String OPENAPI = "/openapi.json";

  /** {@code GET /v1/receipts/{digest}/proof}: where a direct-path receipt is in a posted batch. */
  public static final String RECEIPTS_PREFIX = "/v1/receipts/";

  /** {@code GET /v1/proofs/{hash}}: the ZKML proof whose keccak256 is {@code hash}. */
  public static final String PROOFS_PREFIX = "/v1/proofs/";

  /**
   * {@code GET /v1/enclave/manifests/{sha256}}: the enclave manifest whose SHA-256 is the {@code
   * user_data} of the node's attestation document, in its canonical CBOR bytes (what KeyApproval
   * committees check).
   */
  public static final String ENCLAVE_MANIFESTS_PREFIX = "/v1/enclave/manifests/";

  /** An enclave manifest's canonical bytes. */
  public static final String MANIFEST_MEDIA_TYPE = "application/cbor";

  /** One tensor's canonical encoding ({@code Tensor.canonicalBytes}) or a bundle of named ones. */
  public static final String TENSOR_MEDIA_TYPE = "application/vnd.vouch.tensor";

  /** JSON requests, answers and every error. */
  public static final String JSON_MEDIA_TYPE = "application/json";

  /** A proof's bytes. */
  public static final String PROOF_MEDIA_TYPE = "application/octet-stream";

  /** The path of the proof whose keccak256 is {@code evidenceHash}. */
  public static String proofPath(Bytes32 evidenceHash) {
    return PROOFS_PREFIX + evidenceHash.toHex();
  }

  /** The path of a direct-path receipt's inclusion proof. */
  public static String receiptProofPath(Bytes32 receiptDigest) {
    return RECEIPTS_PREFIX + receiptDigest.toHex() + "/proof";
  }

  /** The media type of a Content-Type value, lower case, without parameters; "" when absent. */
  public static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi >= 0 ? contentType.substring(0, semi) : contentType)
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /** Whether a Content-Type value names the binary tensor form. */
  public static boolean isTensor(String contentType) {
    return mediaType(contentType).equals(TENSOR_MEDIA_TYPE);
  }

  /** Whether an Accept header names {@code type} (with a non-zero quality). */
  public static boolean accepts(String accept, String type) {
    if (accept == null) {
      return false;
    }
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      if (!parts[0].strip().equalsIgnoreCase(type)) {
        continue;
      }
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].strip();
        if (p.startsWith("q=") && p.substring(2).strip().matches("0(\\.0{0,3})?")) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** The Accept value of a client that prefers the binary answer and takes JSON. */
  public static final String ACCEPT_TENSOR = TENSOR_MEDIA_TYPE + ", " + JSON_MEDIA_TYPE + ";q=0.5";
}
