package io.vouch.tee.nitro;

import io.vouch.tee.cbor.CborArray;
import io.vouch.tee.cbor.CborByteString;
import io.vouch.tee.cbor.CborDecoder;
import io.vouch.tee.cbor.CborItem;
import io.vouch.tee.cbor.CborMap;
import io.vouch.tee.cbor.CborTag;

/**
 * Byte ranges, in a whole COSE document, of the parts a test mutates: found through the decoder's
 * spans, so a mutation lands exactly inside the named part.
 */
record DocumentRegions(
    Range signature, Range payload, Range pcrs, Range certificate, Range[] cabundle) {

  record Range(int offset, int length) {}

  static DocumentRegions of(byte[] cose) {
    CborItem top = CborDecoder.decode(cose);
    CborArray array = (CborArray) (top instanceof CborTag t ? t.content() : top);
    Range signature = content((CborByteString) array.get(3), 0);
    Range payload = content((CborByteString) array.get(2), 0);
    CborMap map = (CborMap) CborDecoder.decode(((CborByteString) array.get(2)).value());
    int base = payload.offset();
    CborItem pcrs = map.get("pcrs").orElseThrow();
    Range pcrRange = new Range(base + pcrs.span().offset(), pcrs.span().length());
    Range certificate = content((CborByteString) map.get("certificate").orElseThrow(), base);
    CborArray bundle = (CborArray) map.get("cabundle").orElseThrow();
    Range[] cabundle = new Range[bundle.size()];
    for (int i = 0; i < bundle.size(); i++) {
      cabundle[i] = content((CborByteString) bundle.get(i), base);
    }
    return new DocumentRegions(signature, payload, pcrRange, certificate, cabundle);
  }

  /** The content bytes of a byte string (without its head), shifted by {@code base}. */
  private static Range content(CborByteString item, int base) {
    return new Range(base + item.span().end() - item.length(), item.length());
  }
}
