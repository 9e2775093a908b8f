package io.vouch.zk.mlp;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.commit.LigeroColumns;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.lookup.FractionalSumGkr;
import io.vouch.zk.sumcheck.SumCheckProof;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A proof of one inference, in a versioned binary format that the verifier reads together with
 * public data only (verifying key, request id, input, output).
 *
 * <p>Layout (little-endian): magic "VZKP", u16 version, then seven sections in fixed order, each as
 * u8 tag, u32 body length, body:
 *
 * <ol>
 *   <li>witness commitment: the 32-byte Ligero root of the stacked hidden-layer witness;
 *   <li>multiplicities: per lookup table, its size (u16) and one LEB128 varint per row (minimal
 *       encoding);
 *   <li>lookup GKR: root numerator and denominator, then per layer its sum-check rounds and the
 *       four child values;
 *   <li>evaluations: every witness row at every opening point;
 *   <li>layers: per dense layer the folded weight vector u = eq(r, ·)^T·W and the matrix–vector
 *       sum-check;
 *   <li>witness opening: the combined rows and the opened columns with their Merkle multi-proof;
 *   <li>weight openings: per layer, the opened columns with their multi-proof.
 * </ol>
 *
 * Field elements are 8-byte words that must be canonical (below p); K elements are two of them.
 * Parsing is strict: wrong magic, version, tag, length, non-canonical element, non-minimal varint
 * or trailing bytes are rejected with {@link InvalidProofException}.
 */
public final class ZkProof {
  public static final int VERSION = 1;
  static final byte[] MAGIC = {'V', 'Z', 'K', 'P'};
  static final int SECTION_WITNESS = 1,
      SECTION_MULTIPLICITIES = 2,
      SECTION_LOOKUP = 3,
      SECTION_EVALUATIONS = 4,
      SECTION_LAYERS = 5,
      SECTION_WITNESS_OPENING = 6,
      SECTION_WEIGHT_OPENINGS = 7;

  final byte[] witnessRoot;
  final long[][] multiplicities;
  final FractionalSumGkr.Proof lookup;
  final long[][] evaluations; // per opening point: interleaved K, one per witness row
  final long[][] folded; // per layer: interleaved K of length paddedInputs
  final SumCheckProof[] matvec;
  final long[][] combined; // per opening point, then the proximity row
  final LigeroColumns witnessColumns;
  final LigeroColumns[] weightColumns;

  ZkProof(
      byte[] witnessRoot,
      long[][] multiplicities,
      FractionalSumGkr.Proof lookup,
      long[][] evaluations,
      long[][] folded,
      SumCheckProof[] matvec,
      long[][] combined,
      LigeroColumns witnessColumns,
      LigeroColumns[] weightColumns) {
    this.witnessRoot = witnessRoot;
    this.multiplicities = multiplicities;
    this.lookup = lookup;
    this.evaluations = evaluations;
    this.folded = folded;
    this.matvec = matvec;
    this.combined = combined;
    this.witnessColumns = witnessColumns;
    this.weightColumns = weightColumns;
  }

  public byte[] toBytes() {
    var out = new ByteArrayOutputStream(1 << 17);
    out.writeBytes(MAGIC);
    writeU16(out, VERSION);

    var s = new Section();
    s.body.writeBytes(witnessRoot);
    s.writeTo(out, SECTION_WITNESS);

    s = new Section();
    s.body.write(multiplicities.length);
    for (long[] m : multiplicities) {
      writeU16(s.body, m.length);
      for (long v : m) {
        writeVarint(s.body, v);
      }
    }
    s.writeTo(out, SECTION_MULTIPLICITIES);

    s = new Section();
    writeExt(s.body, lookup.numerator());
    writeExt(s.body, lookup.denominator());
    s.body.write(lookup.layers().size());
    for (var layer : lookup.layers()) {
      writeSumCheck(s.body, layer.sumCheck());
      for (GoldilocksExt2 c : layer.children()) {
        writeExt(s.body, c);
      }
    }
    s.writeTo(out, SECTION_LOOKUP);

    s = new Section();
    s.body.write(evaluations.length);
    writeU16(s.body, evaluations.length == 0 ? 0 : evaluations[0].length / 2);
    for (long[] e : evaluations) {
      writeLongs(s.body, e);
    }
    s.writeTo(out, SECTION_EVALUATIONS);

    s = new Section();
    s.body.write(folded.length);
    for (int l = 0; l < folded.length; l++) {
      writeU32(s.body, folded[l].length / 2);
      writeLongs(s.body, folded[l]);
      writeSumCheck(s.body, matvec[l]);
    }
    s.writeTo(out, SECTION_LAYERS);

    s = new Section();
    s.body.write(combined.length);
    writeU32(s.body, combined[0].length / 2);
    for (long[] v : combined) {
      writeLongs(s.body, v);
    }
    writeColumns(s.body, witnessColumns);
    s.writeTo(out, SECTION_WITNESS_OPENING);

    s = new Section();
    s.body.write(weightColumns.length);
    for (LigeroColumns c : weightColumns) {
      writeColumns(s.body, c);
    }
    s.writeTo(out, SECTION_WEIGHT_OPENINGS);
    return out.toByteArray();
  }

  /**
   * Parses a proof. Structure only: whether it proves anything is for {@link ZkVerifier}.
   *
   * @throws InvalidProofException if the bytes are not a well-formed version-1 proof
   */
  public static ZkProof fromBytes(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[4];
      in.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new InvalidProofException("not a Vouch ZK proof: bad magic bytes");
      }
      int version = Short.toUnsignedInt(in.getShort());
      if (version != VERSION) {
        throw new InvalidProofException(
            "proof format version "
                + version
                + " is not supported; this verifier reads "
                + VERSION);
      }
      ByteBuffer b = section(in, SECTION_WITNESS);
      byte[] root = new byte[32];
      b.get(root);
      end(b, SECTION_WITNESS);

      b = section(in, SECTION_MULTIPLICITIES);
      long[][] mult = new long[Byte.toUnsignedInt(b.get())][];
      for (int t = 0; t < mult.length; t++) {
        mult[t] = new long[Short.toUnsignedInt(b.getShort())];
        for (int i = 0; i < mult[t].length; i++) {
          mult[t][i] = readVarint(b);
        }
      }
      end(b, SECTION_MULTIPLICITIES);

      b = section(in, SECTION_LOOKUP);
      GoldilocksExt2 num = readExt(b), den = readExt(b);
      int gkrLayers = Byte.toUnsignedInt(b.get());
      List<FractionalSumGkr.Layer> layers = new ArrayList<>();
      for (int k = 0; k < gkrLayers; k++) {
        SumCheckProof sc = readSumCheck(b);
        GoldilocksExt2[] children = new GoldilocksExt2[4];
        for (int i = 0; i < 4; i++) {
          children[i] = readExt(b);
        }
        layers.add(new FractionalSumGkr.Layer(sc, children));
      }
      end(b, SECTION_LOOKUP);

      b = section(in, SECTION_EVALUATIONS);
      int points = Byte.toUnsignedInt(b.get());
      int rows = Short.toUnsignedInt(b.getShort());
      long[][] evals = new long[points][];
      for (int j = 0; j < points; j++) {
        evals[j] = readLongs(b, 2 * rows);
      }
      end(b, SECTION_EVALUATIONS);

      b = section(in, SECTION_LAYERS);
      int layerCount = Byte.toUnsignedInt(b.get());
      long[][] folded = new long[layerCount][];
      SumCheckProof[] matvec = new SumCheckProof[layerCount];
      for (int l = 0; l < layerCount; l++) {
        folded[l] = readLongs(b, 2 * readLength(b, 16));
        matvec[l] = readSumCheck(b);
      }
      end(b, SECTION_LAYERS);

      b = section(in, SECTION_WITNESS_OPENING);
      int combos = Byte.toUnsignedInt(b.get());
      int width = readLength(b, 16L * combos);
      long[][] combined = new long[combos][];
      for (int j = 0; j < combos; j++) {
        combined[j] = readLongs(b, 2 * width);
      }
      LigeroColumns witnessColumns = readColumns(b);
      end(b, SECTION_WITNESS_OPENING);

      b = section(in, SECTION_WEIGHT_OPENINGS);
      LigeroColumns[] weightColumns = new LigeroColumns[Byte.toUnsignedInt(b.get())];
      for (int l = 0; l < weightColumns.length; l++) {
        weightColumns[l] = readColumns(b);
      }
      end(b, SECTION_WEIGHT_OPENINGS);
      if (in.hasRemaining()) {
        throw new InvalidProofException(in.remaining() + " trailing bytes after the last section");
      }
      return new ZkProof(
          root,
          mult,
          new FractionalSumGkr.Proof(num, den, layers),
          evals,
          folded,
          matvec,
          combined,
          witnessColumns,
          weightColumns);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new InvalidProofException("malformed proof: " + e, e);
    }
  }

  /** Size of the encoded proof in bytes. */
  public int size() {
    return toBytes().length;
  }

  // ---- encoding helpers ----

  private static final class Section {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    void writeTo(ByteArrayOutputStream out, int tag) {
      out.write(tag);
      writeU32(out, body.size());
      out.writeBytes(body.toByteArray());
    }
  }

  private static void writeU16(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
  }

  private static void writeU32(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  private static void writeLongs(ByteArrayOutputStream out, long[] values) {
    byte[] b = new byte[8 * values.length];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(values);
    out.writeBytes(b);
  }

  private static void writeExt(ByteArrayOutputStream out, GoldilocksExt2 v) {
    writeLongs(out, new long[] {v.c0(), v.c1()});
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    long x = v;
    while ((x & ~0x7FL) != 0) {
      out.write((int) ((x & 0x7F) | 0x80));
      x >>>= 7;
    }
    out.write((int) x);
  }

  private static void writeSumCheck(ByteArrayOutputStream out, SumCheckProof proof) {
    long[][] rounds = proof.rounds();
    out.write(rounds.length);
    for (long[] r : rounds) {
      out.write(r.length / 2);
      writeLongs(out, r);
    }
  }

  private static void writeColumns(ByteArrayOutputStream out, LigeroColumns c) {
    long[] values = c.values();
    writeU32(out, values.length);
    writeLongs(out, values);
    byte[][] siblings = c.siblings();
    writeU16(out, siblings.length);
    for (byte[] s : siblings) {
      out.writeBytes(s);
    }
  }

  // ---- decoding helpers ----

  private static ByteBuffer section(ByteBuffer in, int tag) {
    int actual = Byte.toUnsignedInt(in.get());
    if (actual != tag) {
      throw new InvalidProofException("expected proof section " + tag + ", found tag " + actual);
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new InvalidProofException("proof section " + tag + " claims " + length + " bytes");
    }
    ByteBuffer body = in.slice(in.position(), length).order(ByteOrder.LITTLE_ENDIAN);
    in.position(in.position() + length);
    return body;
  }

  private static void end(ByteBuffer b, int tag) {
    if (b.hasRemaining()) {
      throw new InvalidProofException(
          "proof section " + tag + " has " + b.remaining() + " unread bytes");
    }
  }

  /**
   * A u32 count whose elements take at least {@code bytesEach} bytes: bounded before allocation.
   */
  private static int readLength(ByteBuffer b, long bytesEach) {
    long n = Integer.toUnsignedLong(b.getInt());
    if (n * Math.max(1, bytesEach) > b.remaining()) {
      throw new InvalidProofException("length " + n + " exceeds the remaining proof bytes");
    }
    return (int) n;
  }

  private static long[] readLongs(ByteBuffer b, int count) {
    if ((long) count * 8 > b.remaining()) {
      throw new InvalidProofException("proof ends inside a vector of " + count + " field elements");
    }
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      long v = b.getLong();
      if (!Goldilocks.isCanonical(v)) {
        throw new InvalidProofException("field element is not canonical (≥ p)");
      }
      out[i] = v;
    }
    return out;
  }

  private static GoldilocksExt2 readExt(ByteBuffer b) {
    long[] v = readLongs(b, 2);
    return new GoldilocksExt2(v[0], v[1]);
  }

  private static long readVarint(ByteBuffer b) {
    long v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int x = Byte.toUnsignedInt(b.get());
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        if (x == 0 && shift > 0) {
          throw new InvalidProofException("multiplicity varint is not minimally encoded");
        }
        return v;
      }
    }
    throw new InvalidProofException("multiplicity varint is longer than 5 bytes");
  }

  private static SumCheckProof readSumCheck(ByteBuffer b) {
    int rounds = Byte.toUnsignedInt(b.get());
    long[][] r = new long[rounds][];
    for (int i = 0; i < rounds; i++) {
      int evals = Byte.toUnsignedInt(b.get());
      r[i] = readLongs(b, 2 * evals);
    }
    return new SumCheckProof(r);
  }

  private static LigeroColumns readColumns(ByteBuffer b) {
    long[] values = readLongs(b, readLength(b, 8));
    int siblings = Short.toUnsignedInt(b.getShort());
    if ((long) siblings * 32 > b.remaining()) {
      throw new InvalidProofException("proof ends inside a Merkle multi-proof");
    }
    byte[][] s = new byte[siblings][32];
    for (byte[] x : s) {
      b.get(x);
    }
    return new LigeroColumns(values, s);
  }
}
