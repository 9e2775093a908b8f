package io.vouch.core.tensor;

import java.util.Locale;

/** Element types a tensor can hold. The code is the first byte of the canonical encoding. */
public enum DType {
  FLOAT32(1, 4),
  FLOAT64(2, 8),
  INT8(3, 1),
  UINT8(4, 1),
  INT32(5, 4),
  INT64(6, 8);

  private final int code;
  private final int size;

  DType(int code, int size) {
    this.code = code;
    this.size = size;
  }

  public int code() {
    return code;
  }

  /** Bytes per element. */
  public int size() {
    return size;
  }

  public boolean isFloating() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** Lower-case name used in JSON ({@code float32}, {@code int8}, ...). */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DType fromCode(int code) {
    for (DType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new TensorFormatException(
        "unknown dtype code " + code + " in tensor encoding; known codes 1-6");
  }

  public static DType parse(String name) {
    for (DType t : values()) {
      if (t.jsonName().equalsIgnoreCase(name.trim())) {
        return t;
      }
    }
    throw new TensorFormatException(
        "unknown dtype '" + name + "'; use one of float32, float64, int8, uint8, int32, int64");
  }
}
