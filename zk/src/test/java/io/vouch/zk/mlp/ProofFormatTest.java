package io.vouch.zk.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.zk.InvalidProofException;
import io.vouch.zk.lookup.LookupTable;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Proof format 13 and ZK model file version 10: older versions are refused with what to do, and the
 * sparse multiplicities are canonical (a proof pays for the table rows it uses, not for the 2^18
 * rows of a clamp table).
 */
class ProofFormatTest {
  private static final int[] WIDTHS = {12, 8, 6, 3};

  /** Where the multiplicity section starts: magic, version, then the witness root's section. */
  private static final int MULTIPLICITIES = 4 + 2 + 1 + 4 + 32;

  private final ZkModel model = ZkModel.register(RandomModels.mlp(3, WIDTHS));
  private final byte[] x = RandomModels.input(3, WIDTHS[0]);
  private final byte[] request = RandomModels.requestId(3);
  private final ProvedInference proved = ZkProver.prove(model, request, x);

  @Test
  void aProofOfFormatSixIsRefusedWithAMessageToProveAgain() {
    byte[] bytes = proved.proof().toBytes();
    bytes[4] = 6;
    bytes[5] = 0;
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("version 6 is not supported")
        .hasMessageContaining("prove again");
  }

  @Test
  void aProofOfFormatTwelveIsRefusedWithAMessageToProveAgain() {
    byte[] bytes = proved.proof().toBytes();
    assertThat(bytes[4]).isEqualTo((byte) 13);
    bytes[4] = 12;
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("version 12 is not supported")
        .hasMessageContaining("prove again");
  }

  @Test
  void aProofOfFormatElevenIsRefusedWithAMessageToProveAgain() {
    byte[] bytes = proved.proof().toBytes();
    bytes[4] = 11;
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("version 11 is not supported")
        .hasMessageContaining("prove again");
  }

  @Test
  void aProofOfFormatTenIsRefusedWithAMessageToProveAgain() {
    byte[] bytes = proved.proof().toBytes();
    bytes[4] = 10;
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("version 10 is not supported")
        .hasMessageContaining("prove again");
  }

  @Test
  void aProofOfFormatNineIsRefusedWithAMessageToProveAgain() {
    byte[] bytes = proved.proof().toBytes();
    bytes[4] = 9;
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("version 9 is not supported")
        .hasMessageContaining("prove again");
  }

  @Test
  void aProofOfFormatEightIsRefusedWithAMessageToProveAgain() {
    byte[] bytes = proved.proof().toBytes();
    bytes[4] = 8;
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("version 8 is not supported")
        .hasMessageContaining("prove again");
  }

  @Test
  void aProofOfFormatSevenIsRefusedWithAMessageToProveAgain() {
    byte[] bytes = proved.proof().toBytes();
    bytes[4] = 7;
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("version 7 is not supported")
        .hasMessageContaining("prove again");
  }

  @Test
  void aModelFileOfVersionNineIsRefusedWithAMessageToCompileAgain() {
    byte[] file = ZkModelFile.encode(model.integerModel(), model.modelId());
    assertThat(file[5]).isEqualTo((byte) 10);
    file[5] = 9;
    assertThatThrownBy(() -> ZkModelFile.decode(file))
        .hasMessageContaining("version 9 is not supported")
        .hasMessageContaining("proof format 13")
        .hasMessageContaining("compile the ONNX model again");
  }

  @Test
  void aModelFileOfVersionEightIsRefusedWithAMessageToCompileAgain() {
    byte[] file = ZkModelFile.encode(model.integerModel(), model.modelId());
    file[5] = 8;
    assertThatThrownBy(() -> ZkModelFile.decode(file))
        .hasMessageContaining("version 8 is not supported")
        .hasMessageContaining("compile the ONNX model again");
  }

  @Test
  void aModelFileOfVersionSevenIsRefusedWithAMessageToCompileAgain() {
    byte[] file = ZkModelFile.encode(model.integerModel(), model.modelId());
    file[5] = 7;
    assertThatThrownBy(() -> ZkModelFile.decode(file))
        .hasMessageContaining("version 7 is not supported")
        .hasMessageContaining("compile the ONNX model again");
  }

  @Test
  void aModelFileOfVersionSixIsRefusedWithAMessageToCompileAgain() {
    byte[] file = ZkModelFile.encode(model.integerModel(), model.modelId());
    file[5] = 6;
    assertThatThrownBy(() -> ZkModelFile.decode(file))
        .hasMessageContaining("version 6 is not supported")
        .hasMessageContaining("compile the ONNX model again");
  }

  @Test
  void aModelFileOfVersionFiveIsRefusedWithAMessageToCompileAgain() {
    byte[] file = ZkModelFile.encode(model.integerModel(), model.modelId());
    file[5] = 5;
    assertThatThrownBy(() -> ZkModelFile.decode(file))
        .hasMessageContaining("version 5 is not supported")
        .hasMessageContaining("compile the ONNX model again");
  }

  @Test
  void aModelFileOfVersionFourIsRefusedWithAMessageToCompileAgain() {
    byte[] file = ZkModelFile.encode(model.integerModel(), model.modelId());
    file[5] = 4;
    assertThatThrownBy(() -> ZkModelFile.decode(file))
        .hasMessageContaining("version 4 is not supported")
        .hasMessageContaining("compile the ONNX model again");
  }

  @Test
  void multiplicitiesOfTheClampTableCostBytesPerRowUsedNotPerRow() {
    ZkProof proof = proved.proof();
    int clamp = clampTable();
    var m = proof.multiplicities[clamp];
    assertThat(m.size()).isEqualTo(1 << 18);
    assertThat(m.used()).isPositive().isLessThan(1 << 10);
    assertThat(m.encode().length).isLessThanOrEqualTo(1 + 10 * m.used());
    ZkProof parsed = ZkProof.fromBytes(proof.toBytes());
    assertThat(parsed.multiplicities[clamp]).isEqualTo(m);
    assertThat(io.vouch.zk.lookup.Multiplicities.of(m.dense())).isEqualTo(m);
  }

  @Test
  void aListedMultiplicityOfZeroIsRefused() {
    byte[] bytes = withMultiplicities(sparse(4, 0, 0));
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("multiplicity is 0");
  }

  @Test
  void aListedRowBeyondTheTableIsRefused() {
    byte[] bytes = withMultiplicities(sparse(4, 10, 1));
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("beyond the table");
  }

  @Test
  void moreListedRowsThanTheTableHasAreRefused() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(1);
    body.writeBytes(le(4));
    body.write(5); // five rows of a table of four
    byte[] bytes = withSection(body.toByteArray());
    assertThatThrownBy(() -> ZkProof.fromBytes(bytes))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("rows of a table of 4");
  }

  @Test
  void honestMultiplicitiesChangedByOneAreRefusedByTheVerifier() {
    ZkProof proof = proved.proof();
    long[][] m =
        Arrays.stream(proof.multiplicities)
            .map(io.vouch.zk.lookup.Multiplicities::dense)
            .toArray(long[][]::new);
    int table = clampTable();
    int row = 0;
    while (m[table][row] == 0) {
      row++;
    }
    m[table][row]--;
    m[table][row + 1]++;
    ZkProof changed =
        new ZkProof(
            proof.witnessRoot,
            Arrays.stream(m)
                .map(io.vouch.zk.lookup.Multiplicities::of)
                .toArray(io.vouch.zk.lookup.Multiplicities[]::new),
            proof.lookups,
            proof.messages,
            proof.witnessColumns,
            proof.weightColumns);
    assertThatThrownBy(() ->
            ZkVerifier.verify(model.verifyingKey(), request, x, proved.logits(), changed.toBytes()))
        .isInstanceOf(InvalidProofException.class);
  }

  /**
   * Format 13: a table's multiplicities may list at most as many rows as the proof looks up in it,
   * the bound the LogUp term's table side is counted with (zk/README.md, "Soundness"). A proof
   * listing one row more is refused by name before any sum is compared; one listing exactly as many
   * (the bound itself) passes that check and is refused later (its multiplicities, absorbed into
   * the transcript, change every challenge after them).
   */
  @Test
  void multiplicitiesListingMoreRowsThanTheTablesLookupsAreRefused() {
    ZkProof proof = proved.proof();
    WitnessPlan plan = model.plan();
    int table = clampTable();
    long lookups = plan.tableLeaves[table];
    assertThat(lookups).isLessThan(plan.tables.get(table).size());
    assertThat(proof.multiplicities[table].used()).isLessThanOrEqualTo((int) lookups);
    for (long listed : new long[] {lookups + 1, lookups}) {
      var m = proof.multiplicities.clone();
      m[table] = withRowsUpTo(m[table], (int) listed);
      ZkProof padded =
          new ZkProof(
              proof.witnessRoot,
              m,
              proof.lookups,
              proof.messages,
              proof.witnessColumns,
              proof.weightColumns);
      byte[] bytes = padded.toBytes();
      var refusal =
          assertThatThrownBy(
                  () -> ZkVerifier.verify(model.verifyingKey(), request, x, proved.logits(), bytes))
              .isInstanceOf(InvalidProofException.class);
      if (listed > lookups) {
        refusal.hasMessageContaining(
            "list " + listed + " rows, more than the " + lookups + " lookups into it");
      } else {
        refusal.message().doesNotContain("more than the");
      }
    }
  }

  /** The multiplicities with rows of count 1 added after the last listed one, up to n rows. */
  private static io.vouch.zk.lookup.Multiplicities withRowsUpTo(
      io.vouch.zk.lookup.Multiplicities m, int n) {
    int[] rows = Arrays.copyOf(m.rows(), n);
    long[] counts = Arrays.copyOf(m.counts(), n);
    for (int i = m.used(); i < n; i++) {
      rows[i] = rows[i - 1] + 1;
      counts[i] = 1;
    }
    return new io.vouch.zk.lookup.Multiplicities(m.size(), rows, counts);
  }

  private int clampTable() {
    int relu = model.plan().tables.indexOf(LookupTable.RELU_CLAMP);
    int table = relu >= 0 ? relu : model.plan().tables.indexOf(LookupTable.INT8_CLAMP);
    assertThat(table).isNotNegative();
    return table;
  }

  /** One table of the given size listing one row (the gap from −1) with multiplicity m. */
  private static byte[] sparse(int size, int gap, int m) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(1);
    body.writeBytes(le(size));
    body.write(1);
    varint(body, gap);
    varint(body, m);
    return body.toByteArray();
  }

  private byte[] withMultiplicities(byte[] body) {
    return withSection(body);
  }

  /** The honest proof with its multiplicity section's body replaced. */
  private byte[] withSection(byte[] body) {
    byte[] bytes = proved.proof().toBytes();
    int length =
        ByteBuffer.wrap(bytes, MULTIPLICITIES + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes, 0, MULTIPLICITIES + 1);
    out.writeBytes(le(body.length));
    out.writeBytes(body);
    int rest = MULTIPLICITIES + 5 + length;
    out.write(bytes, rest, bytes.length - rest);
    return out.toByteArray();
  }

  private static byte[] le(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while (v >= 0x80) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }
}
