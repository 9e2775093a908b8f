package io.vouch.zk.mlp;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.commit.LigeroColumns;
import io.vouch.zk.commit.MerkleTree;
import io.vouch.zk.exec.Parallel;
import io.vouch.zk.field.Goldilocks;
import io.vouch.zk.field.GoldilocksExt2;
import io.vouch.zk.lookup.FractionalSumGkr;
import io.vouch.zk.lookup.Multiplicities;
import io.vouch.zk.sumcheck.SumCheckProof;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A proof of one inference, in a versioned binary format that the verifier reads together with
 * public data only (verifying key, request id, input, output).
 *
 * <p>Layout (little-endian): magic "VZKP", u16 version, then six sections in fixed order, each as
 * u8 tag, u32 body length, body:
 *
 * <ol>
 *   <li>witness commitment: the 32-byte Ligero root of the witness matrix;
 *   <li>multiplicities: per lookup table, its size (u32), then sparsely (every varint minimal
 *       LEB128): the count of rows looked up, and per such row in ascending order the gap from the
 *       previous one (row − previous − 1, the first from −1) and its multiplicity (≥ 1);
 *   <li>lookup GKR: the u16 count and the numerators and denominators of the layer sent in the
 *       clear, then per layer below it its sum-check rounds and the four child values;
 *   <li>messages: u32 count, then per message a u32 length and that many field elements — every
 *       other prover message in transcript order (row evaluations, folded weights, sum-check
 *       rounds, partial sums, the proximity row, the opening's sum-check and its combined row); the
 *       verifier knows each one's length from the model and the protocol, and refuses any other;
 *   <li>witness opening: the opened leaves' columns with their Merkle multi-proof;
 *   <li>weight openings: u16 count, then per weight matrix its opened columns and multi-proof.
 * </ol>
 *
 * Field elements are 8-byte words that must be canonical (below p). Parsing is strict: wrong magic,
 * version, tag, length, non-canonical element, non-minimal varint or trailing bytes are rejected
 * with {@link InvalidProofException}.
 */
public final class ZkProof {
  /**
   * 13: range tables up to 2^24 rows, so a value of up to 24 bits is one lookup and one committed
   * vector where two 20-bit-or-less limbs took two of each (a max-pool's window differences over a
   * wide convolution's accumulators: LeNet-5's second pool, the 264k CNN's second and third); a
   * table's multiplicities may list no more rows than the proof looks up in it (zk/README.md,
   * "Soundness": the LogUp term counts those rows, not the table's). 12: a softmax divides by a
   * per-row reciprocal R = ⌊Q·2^K/E⌋ (K one bit above the largest row sum): y = ⌊(e·R +
   * 2^(K−1))/2^K⌋ proved by one remainder below 2^K per value and E·R + r1 = Q·2^K per row, batched
   * into the one degree-3 sum-check the division had; y's range is the exponential table's third
   * column, one lookup of (d, e, y) (zk/README.md); per value 5 committed vectors and 2 lookups
   * instead of 6 and 4 (rows up to 128 values); the wiring reads of one committed tensor share one
   * sum-check, batched with μ at the last of them. 11: a tensor of C channels (a power of two) of S
   * values each, S not a power of two, is committed transposed — value (c, s) at s·C + c, C·S
   * positions with no gap, instead of C strides of nextPow2(S) — where that takes fewer witness
   * rows (zk/README.md, "Transposed storage"): its openings at a point of the layout are the stored
   * vector's at the rotated point (a point group per storage order), its lookups run over the
   * stored order; the messages are those of 10 with one row group per storage order where 10 had
   * one. 10: each weight matrix's opening challenges (the group combination of a grouped
   * convolution, then the column queries) are drawn right after its folded row is sent, instead of
   * after the witness opening's, so that a verifier checks the opening beside the rest of its
   * replay; the bytes are laid out as in 9. 9: a softmax's row maximum shown by a committed
   * selector (one on each row's first maximum, row sums opened, s·d = 0 by a degree-3 zero-check
   * over the values) instead of a zero-check of degree L + 1 over the rows with the L differences
   * sent (zk/README.md); rows of up to 4,096. 8: pool before requantizing — a MaxPool that alone
   * reads a requantizing Conv proves the maximum over the Conv's committed accumulators
   * (differences range-checked in limbs) and requantizes the pooled values only, linked to its
   * requantization by a degree-2 sum-check (zk/README.md). 7: the witness opening sends one
   * combined row, at a point ρ that one degree-2 sum-check over the row domain reduces every
   * opening point's claim to (batched with λ), instead of one combined row per point (the
   * transformer's proof 3.2 → 1.2 MB). 6: a requantized value commits v = q − lo instead of h, t
   * and σ and proves its clamp with one lookup of (v, a − lo) in a 2^18-row table instead of two
   * (sign, then clamp); remainders of up to 20 bits in one range lookup (tables up to 2^20 rows,
   * wider ones in 20-bit limbs); multiplicities sparse. 5: the transformer path (function tables
   * with a public padding column, int8 outputs checked at the output point, public tensors computed
   * by the verifier, and the relations of the ops added with them). 4: graph models (any DAG of the
   * integer model's ops), one witness matrix of a model-dependent width whose vectors take whole
   * rows, a message stream instead of per-layer sections. 3: MLPs, one witness row per vector.
   * Older proofs are refused: their protocol differs.
   */
  public static final int VERSION = 13;

  /** Largest table size a proof may declare (the widest range table's; the clamps have 2^18). */
  static final int MAX_TABLE_ROWS = 1 << io.vouch.zk.lookup.LookupTable.MAX_RANGE_BITS;

  static final byte[] MAGIC = {'V', 'Z', 'K', 'P'};
  static final int SECTION_WITNESS = 1,
      SECTION_MULTIPLICITIES = 2,
      SECTION_LOOKUP = 3,
      SECTION_MESSAGES = 4,
      SECTION_WITNESS_OPENING = 5,
      SECTION_WEIGHT_OPENINGS = 6;

  final byte[] witnessRoot;
  final Multiplicities[] multiplicities;
  final List<FractionalSumGkr.Proof> lookups;
  final List<long[]> messages;
  final LigeroColumns witnessColumns;
  final LigeroColumns[] weightColumns;

  /** Each table's multiplicities as encoded (what the transcript absorbs), or null to encode. */
  private final byte[][] multiplicityBytes;

  ZkProof(
      byte[] witnessRoot,
      Multiplicities[] multiplicities,
      List<FractionalSumGkr.Proof> lookups,
      List<long[]> messages,
      LigeroColumns witnessColumns,
      LigeroColumns[] weightColumns) {
    this(witnessRoot, multiplicities, null, lookups, messages, witnessColumns, weightColumns);
  }

  /**
   * @param multiplicityBytes {@code multiplicities[k].encode()} for every k (the parser's and the
   *     prover's, who have them already), or null
   */
  ZkProof(
      byte[] witnessRoot,
      Multiplicities[] multiplicities,
      byte[][] multiplicityBytes,
      List<FractionalSumGkr.Proof> lookups,
      List<long[]> messages,
      LigeroColumns witnessColumns,
      LigeroColumns[] weightColumns) {
    this.multiplicityBytes = multiplicityBytes;
    this.witnessRoot = witnessRoot;
    this.multiplicities = multiplicities;
    this.lookups = lookups;
    this.messages = messages;
    this.witnessColumns = witnessColumns;
    this.weightColumns = weightColumns;
  }

  /**
   * One table's multiplicities as the proof carries them (after the table size), sparsely: the
   * count of rows looked up, then per such row the gap from the previous one and its multiplicity,
   * minimal LEB128 varints. The bytes the transcript absorbs: a proof pays for the rows it uses,
   * not for the table's size.
   */
  static byte[] encodeMultiplicities(Multiplicities m) {
    return m.encode();
  }

  /** Table k's multiplicities as encoded: the parsed bytes themselves (the encoding is minimal). */
  byte[] multiplicityBytes(int k) {
    return multiplicityBytes != null ? multiplicityBytes[k] : multiplicities[k].encode();
  }

  public byte[] toBytes() {
    var out = new ProofWriter(estimatedSize());
    out.bytes(MAGIC);
    out.u16(VERSION);

    int s = out.beginSection(SECTION_WITNESS);
    out.bytes(witnessRoot);
    out.endSection(s);

    s = out.beginSection(SECTION_MULTIPLICITIES);
    out.u8(multiplicities.length);
    for (int k = 0; k < multiplicities.length; k++) {
      out.u32(multiplicities[k].size());
      out.bytes(multiplicityBytes(k));
    }
    out.endSection(s);

    s = out.beginSection(SECTION_LOOKUP);
    out.u8(lookups.size());
    for (FractionalSumGkr.Proof lookup : lookups) {
      long[] topNumerators = lookup.topNumerators();
      out.u16(topNumerators.length / 2);
      out.longs(topNumerators);
      out.longs(lookup.topDenominators());
      out.u8(lookup.layers().size());
      for (var layer : lookup.layers()) {
        out.sumCheck(layer.sumCheck());
        for (GoldilocksExt2 c : layer.children()) {
          out.ext(c);
        }
      }
    }
    out.endSection(s);

    s = out.beginSection(SECTION_MESSAGES);
    out.u32(messages.size());
    for (long[] m : messages) {
      out.u32(m.length);
      out.longs(m);
    }
    out.endSection(s);

    s = out.beginSection(SECTION_WITNESS_OPENING);
    out.columns(witnessColumns);
    out.endSection(s);

    s = out.beginSection(SECTION_WEIGHT_OPENINGS);
    out.u16(weightColumns.length);
    for (LigeroColumns c : weightColumns) {
      out.columns(c);
    }
    out.endSection(s);
    return out.size == out.buf.length ? out.buf : Arrays.copyOf(out.buf, out.size);
  }

  private int estimatedSize() {
    int n = 64 + witnessRoot.length;
    for (Multiplicities m : multiplicities) {
      n += 4 + 5 + 10 * m.used();
    }
    for (FractionalSumGkr.Proof lookup : lookups) {
      n += 8 + 32 * lookup.sentFractions();
      for (var layer : lookup.layers()) {
        n += 2 + 16 * 4;
        for (int i = 0; i < layer.sumCheck().roundCount(); i++) {
          n += 1 + 8 * layer.sumCheck().roundLength(i);
        }
      }
    }
    for (long[] m : messages) {
      n += 4 + 8 * m.length;
    }
    n += columnsSize(witnessColumns) + 2;
    for (LigeroColumns c : weightColumns) {
      n += columnsSize(c);
    }
    return n + 64;
  }

  private static int columnsSize(LigeroColumns c) {
    return 4 + 8 * c.valueCount() + 2 + MerkleTree.HASH_BYTES * c.siblingCount();
  }

  /**
   * Parses a proof. Structure only: whether it proves anything is for {@link ZkVerifier}.
   *
   * <p>The sections' frames (tags and lengths) are read first; when all six are sound, the two
   * openings (four fifths of a proof's bytes) are parsed on the {@link Parallel} helper while this
   * thread parses the other four. A malformed proof is refused with the error a single pass in byte
   * order meets first: a section's content before a later section's frame, the other sections
   * before the openings, the openings before trailing bytes.
   *
   * @throws InvalidProofException if the bytes are not a well-formed proof of this version
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
                + VERSION
                + " (prove again with this version of Vouch)");
      }
      ByteBuffer[] body = new ByteBuffer[SECTION_WEIGHT_OPENINGS];
      int framed = 0;
      RuntimeException badFrame = null;
      try {
        for (; framed < body.length; framed++) {
          body[framed] = section(in, framed + 1); // tags 1..6 in order
        }
      } catch (InvalidProofException | BufferUnderflowException e) {
        badFrame = e;
      }
      Parallel.Forked<LigeroColumns[]> openings =
          badFrame == null
              ? Parallel.fork(() ->
                  openings(body[SECTION_WITNESS_OPENING - 1], body[SECTION_WEIGHT_OPENINGS - 1]))
              : null;
      Sections first;
      try {
        first = firstSections(body, framed, badFrame);
      } catch (RuntimeException e) {
        if (openings != null) {
          try {
            openings.join(); // leaves the helper free; the earlier error is the one reported
          } catch (RuntimeException later) {
            e.addSuppressed(later);
          }
        }
        throw e;
      }
      LigeroColumns[] columns = openings.join();
      if (in.hasRemaining()) {
        throw new InvalidProofException(in.remaining() + " trailing bytes after the last section");
      }
      return new ZkProof(
          first.root,
          first.mult,
          first.multBytes,
          first.lookups,
          first.messages,
          columns[0],
          Arrays.copyOfRange(columns, 1, columns.length));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new InvalidProofException("malformed proof: " + e, e);
    }
  }

  private record Sections(
      byte[] root,
      Multiplicities[] mult,
      byte[][] multBytes,
      List<FractionalSumGkr.Proof> lookups,
      List<long[]> messages) {}

  /**
   * Sections 1–4 from their bodies; a frame that could not be read ({@code badFrame}, section
   * {@code framed + 1}) is thrown where a single pass would have met it.
   */
  private static Sections firstSections(ByteBuffer[] body, int framed, RuntimeException badFrame) {
    if (framed < SECTION_WITNESS) {
      throw badFrame;
    }
    ByteBuffer b = body[SECTION_WITNESS - 1];
    byte[] root = new byte[32];
    b.get(root);
    end(b, SECTION_WITNESS);

    if (framed < SECTION_MULTIPLICITIES) {
      throw badFrame;
    }
    b = body[SECTION_MULTIPLICITIES - 1];
    Multiplicities[] mult = new Multiplicities[Byte.toUnsignedInt(b.get())];
    byte[][] multBytes = new byte[mult.length][];
    for (int t = 0; t < mult.length; t++) {
      int size = b.getInt();
      if (size <= 0 || size > MAX_TABLE_ROWS) {
        throw new InvalidProofException("lookup table size " + size + " is out of range");
      }
      int encodingStart = b.position();
      long used = readVarint(b);
      if (used > size) {
        throw new InvalidProofException(
            "multiplicities list " + used + " rows of a table of " + size);
      }
      if (2 * used > b.remaining()) {
        throw new InvalidProofException("proof ends inside the multiplicities");
      }
      int[] rows = new int[(int) used];
      long[] counts = new long[(int) used];
      long row = -1;
      for (int i = 0; i < used; i++) {
        row += readVarint(b) + 1;
        long m = readVarint(b);
        if (row >= size) {
          throw new InvalidProofException("multiplicity row " + row + " beyond the table");
        }
        if (m == 0) {
          throw new InvalidProofException(
              "a listed multiplicity is 0 (rows not looked up are left out)");
        }
        rows[i] = (int) row;
        counts[i] = m;
      }
      mult[t] = new Multiplicities(size, rows, counts);
      multBytes[t] = new byte[b.position() - encodingStart];
      b.get(encodingStart, multBytes[t]);
    }
    end(b, SECTION_MULTIPLICITIES);

    if (framed < SECTION_LOOKUP) {
      throw badFrame;
    }
    b = body[SECTION_LOOKUP - 1];
    int instances = Byte.toUnsignedInt(b.get());
    List<FractionalSumGkr.Proof> lookups = new ArrayList<>();
    for (int g = 0; g < instances; g++) {
      int fractions = Short.toUnsignedInt(b.getShort());
      long[] topNumerators = readLongs(b, 2 * fractions);
      long[] topDenominators = readLongs(b, 2 * fractions);
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
      lookups.add(new FractionalSumGkr.Proof(topNumerators, topDenominators, layers));
    }
    end(b, SECTION_LOOKUP);

    if (framed < SECTION_MESSAGES) {
      throw badFrame;
    }
    b = body[SECTION_MESSAGES - 1];
    int count = readLength(b, 4);
    List<long[]> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      messages.add(readLongs(b, readLength(b, 8)));
    }
    end(b, SECTION_MESSAGES);
    if (badFrame != null) {
      throw badFrame; // the openings' frames
    }
    return new Sections(root, mult, multBytes, lookups, messages);
  }

  /** The witness opening, then the weight matrices' openings in order. */
  private static LigeroColumns[] openings(ByteBuffer witness, ByteBuffer weights) {
    LigeroColumns witnessColumns = readColumns(witness);
    end(witness, SECTION_WITNESS_OPENING);
    LigeroColumns[] columns = new LigeroColumns[1 + Short.toUnsignedInt(weights.getShort())];
    columns[0] = witnessColumns;
    for (int l = 1; l < columns.length; l++) {
      columns[l] = readColumns(weights);
    }
    end(weights, SECTION_WEIGHT_OPENINGS);
    return columns;
  }

  /** Size of the encoded proof in bytes. */
  public int size() {
    return toBytes().length;
  }

  // ---- encoding ----

  /**
   * One growable little-endian buffer; a section's u32 length is patched in when it ends (the old
   * encoder copied every section through its own stream: the same bytes, several copies).
   */
  private static final class ProofWriter {
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int size;

    ProofWriter(int capacity) {
      buf = new byte[capacity];
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
      }
    }

    void u8(int v) {
      ensure(1);
      buf[size++] = (byte) v;
    }

    void u16(int v) {
      ensure(2);
      buf[size++] = (byte) v;
      buf[size++] = (byte) (v >>> 8);
    }

    void u32(int v) {
      ensure(4);
      putU32(size, v);
      size += 4;
    }

    private void putU32(int at, int v) {
      buf[at] = (byte) v;
      buf[at + 1] = (byte) (v >>> 8);
      buf[at + 2] = (byte) (v >>> 16);
      buf[at + 3] = (byte) (v >>> 24);
    }

    void bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    void longs(long[] values) {
      ensure(8 * values.length);
      if (values.length >= BULK_LONGS) {
        ByteBuffer.wrap(buf, size, 8 * values.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asLongBuffer()
            .put(values);
        size += 8 * values.length;
        return;
      }
      for (long v : values) {
        LONG_LE.set(buf, size, v);
        size += 8;
      }
    }

    /** From this many words on a bulk copy beats writing them one by one. */
    private static final int BULK_LONGS = 16;

    void ext(GoldilocksExt2 v) {
      ensure(16);
      LONG_LE.set(buf, size, v.c0());
      LONG_LE.set(buf, size + 8, v.c1());
      size += 16;
    }

    void varint(long v) {
      ensure(10);
      long x = v;
      while ((x & ~0x7FL) != 0) {
        buf[size++] = (byte) ((x & 0x7F) | 0x80);
        x >>>= 7;
      }
      buf[size++] = (byte) x;
    }

    void sumCheck(SumCheckProof proof) {
      u8(proof.roundCount());
      for (int i = 0; i < proof.roundCount(); i++) {
        int n = proof.roundLength(i);
        u8(n / 2);
        ensure(8 * n);
        for (int k = 0; k < n; k++) {
          LONG_LE.set(buf, size, proof.roundValue(i, k));
          size += 8;
        }
      }
    }

    void columns(LigeroColumns c) {
      int n = c.valueCount();
      u32(n);
      ensure(8 * n);
      c.writeValues(buf, size);
      size += 8 * n;
      int siblings = c.siblingCount();
      u16(siblings);
      ensure(siblings * MerkleTree.HASH_BYTES);
      for (int i = 0; i < siblings; i++) {
        c.copySibling(i, buf, size);
        size += MerkleTree.HASH_BYTES;
      }
    }

    /** Writes the tag and a placeholder length; returns where the body starts. */
    int beginSection(int tag) {
      u8(tag);
      u32(0);
      return size;
    }

    void endSection(int bodyStart) {
      putU32(bodyStart - 4, size - bodyStart);
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
    b.asLongBuffer().get(out); // the buffer is little-endian, as is its long view
    b.position(b.position() + 8 * count);
    // one pass without a branch per element: v is canonical iff v − p borrows (v < p unsigned),
    // the borrow being the top bit of (~v & p) | (~(v ^ p) & (v − p))
    long borrows = -1;
    for (long v : out) {
      borrows &= (~v & Goldilocks.P) | (~(v ^ Goldilocks.P) & (v - Goldilocks.P));
    }
    if (borrows >= 0) {
      throw new InvalidProofException("field element is not canonical (≥ p)");
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
    byte[] s = new byte[siblings * 32];
    b.get(s);
    return LigeroColumns.owningFlat(values, s); // both arrays are this parser's own
  }
}
