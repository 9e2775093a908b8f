package io.vouch.node.api;

import io.vouch.core.tensor.DType;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.ModelCatalog;
import io.vouch.onnx.TensorSpec;
import java.util.Collection;
import java.util.List;

/**
 * The body limit of {@code POST /v1/infer} (issue 9, item 4): what the largest input of the models
 * this node serves takes on the wire, in the request's form, under the node's configured cap;
 * recomputed when the catalog changes. A declared Content-Length over it is refused with 413 before
 * any body byte is read.
 *
 * <p>Per model, an input with fixed dimensions has that many elements; one with a dynamic dimension
 * (a batch) as many as the node accepts in one request ({@code --max-input-elements}), which also
 * bounds the sum over a model's inputs. Then:
 *
 * <ul>
 *   <li>binary form ({@code application/vnd.vouch.tensor}): elements × the dtype's size, plus per
 *       input the encoding's header and the bundle's name and length fields;
 *   <li>JSON form: the larger of the base64 of those bytes ({@code "canonical"}, 4/3) and the
 *       values written as decimal numbers ({@code "data"}: per element the longest number of its
 *       dtype and ", "), plus {@link #FIELDS_BYTES} for the other fields (model, level, request id,
 *       a voucher) and the JSON around them.
 * </ul>
 *
 * Never less than {@link #FLOOR_BYTES} (so that a request for a model the node does not serve still
 * gets its own error), never more than the configured cap.
 */
final class InferBodyLimit {
  /** Room for the JSON form's fields besides the tensors, and for the names of inputs. */
  static final long FIELDS_BYTES = 16 * 1024;

  /** The least any route accepts. */
  static final long FLOOR_BYTES = 16 * 1024;

  /** Per input in the binary form: dtype, rank, 8 dims, and the bundle's name and length fields. */
  static final long PER_INPUT_BYTES = 64;

  private final ModelCatalog catalog;
  private final long maxInputElements;
  private final long capBytes;
  private volatile Limits cached = new Limits(Long.MIN_VALUE, 0, 0);

  /** The two forms' limits for one version of the catalog. */
  record Limits(long catalogVersion, long binaryBytes, long jsonBytes) {}

  InferBodyLimit(ModelCatalog catalog, long maxInputElements, long capBytes) {
    this.catalog = catalog;
    this.maxInputElements = maxInputElements;
    this.capBytes = capBytes;
  }

  /** The limit for a request with this Content-Type (the binary media type, or JSON). */
  long bytes(String contentType) {
    Limits l = current();
    boolean binary =
        contentType != null
            && contentType.regionMatches(
                true, 0, NodeHttpApi.TENSOR_MEDIA_TYPE, 0, NodeHttpApi.TENSOR_MEDIA_TYPE.length());
    return binary ? l.binaryBytes() : l.jsonBytes();
  }

  /** What the limit follows, for the 413 answer. */
  String reason() {
    return "what the largest input of the models this node serves takes in the request's form"
        + " (a request carries at most "
        + maxInputElements
        + " input elements; GET /v1/models lists the models)";
  }

  Limits current() {
    Limits l = cached;
    long version = catalog.version();
    if (l.catalogVersion() != version) {
      l = compute(version, catalog.all());
      cached = l;
    }
    return l;
  }

  private Limits compute(long version, Collection<LoadedModel> models) {
    long binary = 0;
    long json = 0;
    for (LoadedModel m : models) {
      Wire w = wire(m.runner().inputSpecs());
      binary = Math.max(binary, w.binaryBytes());
      json = Math.max(json, w.jsonBytes());
    }
    return new Limits(version, bound(binary), bound(json));
  }

  private long bound(long bytes) {
    return Math.min(capBytes, Math.max(FLOOR_BYTES, bytes));
  }

  /** One model's largest input on the wire. */
  record Wire(long binaryBytes, long jsonBytes) {}

  Wire wire(List<TensorSpec> inputs) {
    if (inputs.isEmpty()) {
      // a runner that does not say: the largest input the node accepts, in the widest dtype
      long bytes = maxInputElements * DType.FLOAT64.size();
      return new Wire(
          PER_INPUT_BYTES + bytes,
          FIELDS_BYTES + Math.max(base64(bytes), maxInputElements * decimalWidth(DType.FLOAT64)));
    }
    long elements = 0;
    long bytes = 0;
    long decimal = 0;
    long widestSize = 1;
    long widestDecimal = 1;
    long overhead = 0;
    for (TensorSpec s : inputs) {
      long n = Math.min(maxInputElements, elements(s));
      elements += n;
      bytes += n * s.dtype().size();
      decimal += n * decimalWidth(s.dtype());
      widestSize = Math.max(widestSize, s.dtype().size());
      widestDecimal = Math.max(widestDecimal, decimalWidth(s.dtype()));
      // JSON escapes a name's characters in at most 6 bytes each
      overhead += PER_INPUT_BYTES + 6L * s.name().length();
    }
    // the node refuses more than maxInputElements over all inputs together
    if (elements > maxInputElements) {
      bytes = Math.min(bytes, maxInputElements * widestSize);
      decimal = Math.min(decimal, maxInputElements * widestDecimal);
    }
    return new Wire(
        overhead + bytes, FIELDS_BYTES + overhead + Math.max(base64(overhead + bytes), decimal));
  }

  /**
   * Elements of an input: the product of its dimensions, or the node's maximum when one is open.
   */
  private long elements(TensorSpec s) {
    long n = 1;
    for (int d : s.shape()) {
      if (d == TensorSpec.DYNAMIC) {
        return maxInputElements;
      }
      n = Math.multiplyExact(n, d);
      if (n > maxInputElements) {
        return maxInputElements;
      }
    }
    return n;
  }

  private static long base64(long bytes) {
    return (bytes + 2) / 3 * 4;
  }

  /** The longest JSON number of a dtype's values (e.g. -1.17549435E-38) and ", " after it. */
  static long decimalWidth(DType dtype) {
    return 2
        + switch (dtype) {
          case FLOAT32 -> 15;
          case FLOAT64 -> 24;
          case INT8 -> 4;
          case UINT8 -> 3;
          case INT32 -> 11;
          case INT64 -> 20;
        };
  }
}
