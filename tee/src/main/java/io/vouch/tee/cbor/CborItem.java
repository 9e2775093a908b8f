package io.vouch.tee.cbor;

/**
 * One CBOR data item (RFC 8949), limited to what attestation documents use: integers, byte and text
 * strings, arrays, maps, tags and the simple values false, true and null. Floats and other simple
 * values are refused by the decoder.
 *
 * <p>Every decoded item carries its {@link Span}: the exact bytes it was read from. Equality of
 * items includes the span, so compare values through the accessors.
 */
public sealed interface CborItem
    permits CborInteger, CborByteString, CborTextString, CborArray, CborMap, CborTag, CborSimple {

  /** Where this item was read from; {@link Span#NONE} for items built in code. */
  Span span();

  /** A short name of the item's kind for error messages ("byte string", "map", ...). */
  String kind();
}
