package io.vouch.tee.nitro;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;

/**
 * The bytes are not a well-formed Nitro attestation document. {@link #field()} names the part that
 * broke a rule ({@code "cose"}, {@code "protected"}, {@code "pcrs"}, ...); the message names the
 * rule.
 */
public final class MalformedAttestationException extends VouchException {
  private final String field;

  public MalformedAttestationException(String field, String rule) {
    super(ErrorCode.BAD_INPUT, "attestation document field '" + field + "': " + rule);
    this.field = field;
  }

  public MalformedAttestationException(String field, String rule, Throwable cause) {
    super(ErrorCode.BAD_INPUT, "attestation document field '" + field + "': " + rule, cause);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
