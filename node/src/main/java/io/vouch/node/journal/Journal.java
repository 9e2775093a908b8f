package io.vouch.node.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Signature;
import io.vouch.node.inference.ReceiptSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's write-ahead journal: one JSON object per line, forced to disk before the action it
 * records is taken further, so that after a crash ({@code kill -9}) the node neither loses work nor
 * submits twice. A torn last line (the crash hit mid-write) is dropped on open; any other bad line
 * is an error that names the line.
 */
public final class Journal implements AutoCloseable, ReceiptSigner.SequenceStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final FileChannel channel;
  private final Map<BigInteger, RequestState> requests = new LinkedHashMap<>();
  private final Map<Address, HeldVoucher> vouchers = new LinkedHashMap<>();
  private final List<ReceiptBatch> batches = new ArrayList<>();
  private long checkpoint = -1;
  private long sequenceReserved;

  /**
   * The highest voucher held from one payer, and the cumulative amount of the last voucher of this
   * payer the node redeemed ({@code 0} if none yet).
   */
  public record HeldVoucher(
      Address payer,
      BigInteger cumulativeAmount,
      Signature signature,
      BigInteger redeemedCumulative) {
    /** What redeeming now would claim (the hub pays at most the payer's deposit of it). */
    public BigInteger unredeemed() {
      return cumulativeAmount.subtract(redeemedCumulative).max(BigInteger.ZERO);
    }
  }

  /**
   * A batch of direct-path receipts: positions {@code [fromIndex, fromIndex + count)} of the
   * receipt log under {@code root}; {@code batchId} is -1 until the root is on chain.
   */
  public record ReceiptBatch(
      Bytes32 root, long fromIndex, int count, long batchId, String postedTx) {
    public boolean posted() {
      return batchId >= 0;
    }

    public long endIndex() {
      return fromIndex + count;
    }
  }

  /** What the journal knows of one on-chain request. */
  public record RequestState(
      BigInteger requestId,
      int attempt,
      long deadline,
      Bytes32 modelId,
      int level,
      byte[] input,
      String submittedTx,
      String closedHow) {
    public boolean submitted() {
      return submittedTx != null;
    }

    public boolean closed() {
      return closedHow != null;
    }
  }

  private Journal(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (creating if needed) and replays the journal at {@code file}. */
  public static Journal open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      List<String> lines =
          Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      long validBytes = 0;
      List<JournalEntry> entries = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        try {
          entries.add(decode(JSON.readTree(line)));
          validBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        } catch (IOException | RuntimeException e) {
          if (i == lines.size() - 1) {
            break; // torn final write: drop it
          }
          throw new IllegalStateException(
              "journal "
                  + file
                  + " line "
                  + (i + 1)
                  + " is corrupt ("
                  + e.getMessage()
                  + "); move the file aside to start from chain state");
        }
      }
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      ch.truncate(validBytes);
      ch.position(validBytes);
      Journal j = new Journal(file, ch);
      entries.forEach(j::apply);
      return j;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends and forces {@code entry} to disk, then applies it. */
  public synchronized void append(JournalEntry entry) {
    byte[] line = (encode(entry).toString() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer b = ByteBuffer.wrap(line);
      while (b.hasRemaining()) {
        channel.write(b);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write journal " + file + ": " + e.getMessage(), e);
    }
    apply(entry);
  }

  public synchronized RequestState request(BigInteger requestId) {
    return requests.get(requestId);
  }

  /** Requests accepted but neither submitted nor closed: the work a restart must resume. */
  public synchronized List<RequestState> pending() {
    return requests.values().stream().filter(r -> !r.submitted() && !r.closed()).toList();
  }

  /** Requests submitted but not closed: waiting to be finalized. */
  public synchronized List<RequestState> awaitingFinalization() {
    return requests.values().stream().filter(r -> r.submitted() && !r.closed()).toList();
  }

  public synchronized Map<BigInteger, RequestState> requests() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(requests));
  }

  /** The voucher held from {@code payer}, if any. */
  public synchronized java.util.Optional<HeldVoucher> voucher(Address payer) {
    return java.util.Optional.ofNullable(vouchers.get(payer));
  }

  /** Every payer's held voucher. */
  public synchronized List<HeldVoucher> vouchers() {
    return List.copyOf(vouchers.values());
  }

  /** Receipt batches in log order, posted or only prepared. */
  public synchronized List<ReceiptBatch> receiptBatches() {
    return List.copyOf(batches);
  }

  /** How many receipts of the receipt log are in a batch (prepared or posted). */
  public synchronized long receiptsBatched() {
    return batches.isEmpty() ? 0 : batches.getLast().endIndex();
  }

  /** The last block whose events were all handled, or -1. */
  public synchronized long checkpoint() {
    return checkpoint;
  }

  public synchronized long sequenceReserved() {
    return sequenceReserved;
  }

  @Override
  public long reserved() {
    return sequenceReserved();
  }

  @Override
  public void reserveUpTo(long upTo) {
    append(new JournalEntry.SequenceReserved(upTo));
  }

  private void apply(JournalEntry e) {
    switch (e) {
      case JournalEntry.Accepted a -> {
        RequestState old = requests.get(a.requestId());
        // A new attempt of the same request (reassigned back to us) starts clean.
        if (old == null || old.attempt() != a.attempt()) {
          requests.put(
              a.requestId(),
              new RequestState(
                  a.requestId(),
                  a.attempt(),
                  a.deadline(),
                  a.modelId(),
                  a.level(),
                  a.input(),
                  null,
                  null));
        }
      }
      case JournalEntry.Submitted s ->
          requests.computeIfPresent(
              s.requestId(),
              (k, r) ->
                  new RequestState(
                      k,
                      r.attempt(),
                      r.deadline(),
                      r.modelId(),
                      r.level(),
                      r.input(),
                      s.txHash(),
                      r.closedHow()));
      case JournalEntry.Closed c ->
          requests.computeIfPresent(
              c.requestId(),
              (k, r) ->
                  new RequestState(
                      k,
                      r.attempt(),
                      r.deadline(),
                      r.modelId(),
                      r.level(),
                      r.input(),
                      r.submittedTx(),
                      c.how()));
      case JournalEntry.Checkpoint c -> checkpoint = Math.max(checkpoint, c.block());
      case JournalEntry.SequenceReserved s ->
          sequenceReserved = Math.max(sequenceReserved, s.upTo());
      case JournalEntry.VoucherHeld v -> {
        HeldVoucher old = vouchers.get(v.payer());
        if (old == null || v.cumulativeAmount().compareTo(old.cumulativeAmount()) > 0) {
          vouchers.put(
              v.payer(),
              new HeldVoucher(
                  v.payer(),
                  v.cumulativeAmount(),
                  v.signature(),
                  old == null ? BigInteger.ZERO : old.redeemedCumulative()));
        }
      }
      case JournalEntry.VoucherRedeemed r ->
          vouchers.computeIfPresent(
              r.payer(),
              (k, h) ->
                  new HeldVoucher(
                      k,
                      h.cumulativeAmount(),
                      h.signature(),
                      h.redeemedCumulative().max(r.cumulativeAmount())));
      case JournalEntry.ReceiptBatchPrepared p -> {
        boolean known = batches.stream().anyMatch(b -> b.fromIndex() == p.fromIndex());
        if (!known) {
          batches.add(new ReceiptBatch(p.root(), p.fromIndex(), p.count(), -1, null));
        }
      }
      case JournalEntry.ReceiptBatchPosted p -> {
        for (int i = 0; i < batches.size(); i++) {
          ReceiptBatch b = batches.get(i);
          if (b.root().equals(p.root()) && !b.posted()) {
            batches.set(
                i, new ReceiptBatch(b.root(), b.fromIndex(), b.count(), p.batchId(), p.txHash()));
            break;
          }
        }
      }
    }
  }

  private static ObjectNode encode(JournalEntry e) {
    ObjectNode o = JSON.createObjectNode();
    switch (e) {
      case JournalEntry.Accepted a -> {
        o.put("type", "accepted");
        o.put("request", a.requestId().toString());
        o.put("attempt", a.attempt());
        o.put("deadline", a.deadline());
        o.put("model", a.modelId().toHex());
        o.put("level", a.level());
        o.put("input", Base64.getEncoder().encodeToString(a.input()));
      }
      case JournalEntry.Submitted s -> {
        o.put("type", "submitted");
        o.put("request", s.requestId().toString());
        o.put("attempt", s.attempt());
        o.put("tx", s.txHash());
      }
      case JournalEntry.Closed c -> {
        o.put("type", "closed");
        o.put("request", c.requestId().toString());
        o.put("how", c.how());
      }
      case JournalEntry.Checkpoint c -> {
        o.put("type", "checkpoint");
        o.put("block", c.block());
      }
      case JournalEntry.SequenceReserved s -> {
        o.put("type", "sequence");
        o.put("upTo", s.upTo());
      }
      case JournalEntry.VoucherHeld v -> {
        o.put("type", "voucher");
        o.put("payer", v.payer().toHex());
        o.put("cumulative", v.cumulativeAmount().toString());
        o.put("signature", v.signature().toHex());
      }
      case JournalEntry.VoucherRedeemed r -> {
        o.put("type", "redeemed");
        o.put("payer", r.payer().toHex());
        o.put("cumulative", r.cumulativeAmount().toString());
        o.put("paid", r.paid().toString());
        o.put("tx", r.txHash());
      }
      case JournalEntry.ReceiptBatchPrepared p -> {
        o.put("type", "batchPrepared");
        o.put("root", p.root().toHex());
        o.put("from", p.fromIndex());
        o.put("count", p.count());
      }
      case JournalEntry.ReceiptBatchPosted p -> {
        o.put("type", "batchPosted");
        o.put("root", p.root().toHex());
        o.put("batchId", p.batchId());
        o.put("tx", p.txHash());
      }
    }
    return o;
  }

  private static JournalEntry decode(JsonNode o) {
    String type = o.get("type").asText();
    return switch (type) {
      case "accepted" ->
          new JournalEntry.Accepted(
              new BigInteger(o.get("request").asText()),
              o.get("attempt").asInt(),
              o.get("deadline").asLong(),
              Bytes32.fromHex(o.get("model").asText()),
              o.get("level").asInt(),
              Base64.getDecoder().decode(o.get("input").asText()));
      case "submitted" ->
          new JournalEntry.Submitted(
              new BigInteger(o.get("request").asText()),
              o.get("attempt").asInt(),
              o.get("tx").asText());
      case "closed" ->
          new JournalEntry.Closed(new BigInteger(o.get("request").asText()), o.get("how").asText());
      case "checkpoint" -> new JournalEntry.Checkpoint(o.get("block").asLong());
      case "sequence" -> new JournalEntry.SequenceReserved(o.get("upTo").asLong());
      case "voucher" ->
          new JournalEntry.VoucherHeld(
              Address.fromHex(o.get("payer").asText()),
              new BigInteger(o.get("cumulative").asText()),
              Signature.fromHex(o.get("signature").asText()));
      case "redeemed" ->
          new JournalEntry.VoucherRedeemed(
              Address.fromHex(o.get("payer").asText()),
              new BigInteger(o.get("cumulative").asText()),
              new BigInteger(o.get("paid").asText()),
              o.get("tx").asText());
      case "batchPrepared" ->
          new JournalEntry.ReceiptBatchPrepared(
              Bytes32.fromHex(o.get("root").asText()),
              o.get("from").asLong(),
              o.get("count").asInt());
      case "batchPosted" ->
          new JournalEntry.ReceiptBatchPosted(
              Bytes32.fromHex(o.get("root").asText()),
              o.get("batchId").asLong(),
              o.get("tx").asText());
      default -> throw new IllegalArgumentException("unknown entry type '" + type + "'");
    };
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
