package io.vouch.tee.nitro;

import io.vouch.tee.cbor.CborArray;
import io.vouch.tee.cbor.CborByteString;
import io.vouch.tee.cbor.CborEncoder;
import io.vouch.tee.cbor.CborTextString;

/** COSE_Sign1 (RFC 9052 §4.4) pieces shared by the verifier and the development simulator. */
public final class CoseSign1 {
  /** JCA name of ES384 with the raw r‖s signature form COSE uses. */
  public static final String SIGNATURE_ALGORITHM = "SHA384withECDSAinP1363Format";

  private CoseSign1() {}

  /**
   * The bytes that are signed: {@code ["Signature1", protected, h'', payload]}, with the protected
   * header and payload exactly as received and no external AAD.
   */
  public static byte[] toBeSigned(byte[] protectedHeader, byte[] payload) {
    return CborEncoder.encode(
        CborArray.of(
            CborTextString.of("Signature1"),
            CborByteString.of(protectedHeader),
            CborByteString.of(new byte[0]),
            CborByteString.of(payload)));
  }
}
