package io.vouch.node.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Signature;
import io.vouch.node.inference.ReceiptSigner;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's write-ahead journal: one entry per line, each a JSON object behind its checksum
 * ({@link ChecksummedLineFile}: {@code <crc32c> {"type":...}}), forced to disk before the action it
 * records is taken further, so that after a crash ({@code kill -9}, power loss) the node neither
 * loses work nor submits twice.
 *
 * <p>An entry counts once its whole line, newline included, is on disk with a matching checksum:
 * {@link #append} returns only then, and only then does the caller act. On open, whatever follows
 * the last complete line (the crash cut the write) is cut off and appends continue at the real end
 * of the file; a damaged line followed by complete ones, or a complete line that is not a valid
 * entry (unknown type, a missing field, anything after the JSON object), is an error naming the
 * file and line. A journal from before checksums is read as the previous version read it and
 * rewritten with checksums (the original kept as {@code <file>.legacy}).
 *
 * <p><b>One deployment.</b> A journal belongs to one chain and one deployment of the contracts: its
 * first entry ({@link JournalEntry.Deployment}, written by {@link #bindTo}) names them, and a node
 * started against another deployment is refused ({@link ForeignJournalException}) instead of
 * resuming from a checkpoint, requests and receipt numbers that belong elsewhere. A journal written
 * before this entry existed is bound to the deployment it is first opened with.
 */
public final class Journal implements AutoCloseable, ReceiptSigner.SequenceStore {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final ObjectReader JSON =
      new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ChecksummedLineFile.Format<JournalEntry> FORMAT =
      new ChecksummedLineFile.Format<>(
          "journal",
          Journal::decode,
          "{",
          "move the file aside to start from chain state (this forgets held vouchers not yet"
              + " redeemed and the receipt sequence numbers used so far)");

  private final ChecksummedLineFile file;
  private final Map<BigInteger, RequestState> requests = new LinkedHashMap<>();
  private final Map<Address, HeldVoucher> vouchers = new LinkedHashMap<>();
  private final List<ReceiptBatch> batches = new ArrayList<>();
  private long checkpoint = -1;
  private long sequenceReserved;
  private JournalEntry.Deployment deployment;
  private boolean empty = true;

  /**
   * The highest voucher held from one payer, and the cumulative amount of the last voucher of this
   * payer the node redeemed ({@code 0} if none yet).
   */
  public record HeldVoucher(
      Address payer,
      BigInteger cumulativeAmount,
      Signature signature,
      BigInteger redeemedCumulative) {
    /** What redeeming now would claim (the hub pays at most what the payer's channel holds). */
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

  private Journal(ChecksummedLineFile file) {
    this.file = file;
  }

  /**
   * Opens (creating if needed) and replays the journal at {@code file}.
   *
   * @throws IllegalStateException when a line other than a torn last one is damaged or is not a
   *     valid entry; the message names the file, the line and what to do
   */
  public static Journal open(Path file) {
    ChecksummedLineFile.Opened<JournalEntry> opened = ChecksummedLineFile.open(file, FORMAT);
    Journal j = new Journal(opened.file());
    opened.entries().forEach(j::apply);
    return j;
  }

  /** The deployment this journal belongs to, once bound ({@link #bindTo}). */
  public synchronized java.util.Optional<JournalEntry.Deployment> deployment() {
    return java.util.Optional.ofNullable(deployment);
  }

  /**
   * Makes sure this journal belongs to {@code d}: a new journal records it as its first entry; one
   * bound to {@code d} is used as it is; one from before deployments were recorded is bound to
   * {@code d} (with a warning); one bound to another deployment is refused.
   *
   * @throws ForeignJournalException when the journal belongs to another chain or deployment
   */
  public synchronized void bindTo(JournalEntry.Deployment d) {
    if (deployment != null) {
      if (!deployment.equals(d)) {
        throw ForeignJournalException.of(file.path(), deployment, d);
      }
      return;
    }
    if (!empty) {
      LOG.warn(
          "journal {} was written before journals recorded their deployment; assuming it belongs"
              + " to {}",
          file.path(),
          d.describe());
    }
    append(d);
  }

  /** Appends and forces {@code entry} to disk, then applies it. */
  public synchronized void append(JournalEntry entry) {
    file.appendAndForce(encode(entry).toString());
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
    empty = false;
    switch (e) {
      case JournalEntry.Deployment d -> {
        if (deployment == null) {
          deployment = d;
        }
      }
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
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    switch (e) {
      case JournalEntry.Deployment d -> {
        o.put("type", "deployment");
        o.put("chainId", d.chainId());
        o.put("hub", d.hub().toHex());
        o.put("deployedAtBlock", d.deployedAtBlock());
        o.put("blockHash", d.deploymentBlockHash().toHex());
      }
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

  private static JournalEntry decode(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not one JSON object: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String type = new Fields(node, "").text("type");
    Fields o = new Fields(node, type);
    return switch (type) {
      case "deployment" ->
          new JournalEntry.Deployment(
              o.number("chainId"),
              o.parsed("hub", Address::fromHex),
              o.number("deployedAtBlock"),
              o.parsed("blockHash", Bytes32::fromHex));
      case "accepted" ->
          new JournalEntry.Accepted(
              o.integer("request"),
              o.intNumber("attempt"),
              o.number("deadline"),
              o.parsed("model", Bytes32::fromHex),
              o.intNumber("level"),
              o.parsed("input", Base64.getDecoder()::decode));
      case "submitted" ->
          new JournalEntry.Submitted(o.integer("request"), o.intNumber("attempt"), o.text("tx"));
      case "closed" -> new JournalEntry.Closed(o.integer("request"), o.text("how"));
      case "checkpoint" -> new JournalEntry.Checkpoint(o.number("block"));
      case "sequence" -> new JournalEntry.SequenceReserved(o.number("upTo"));
      case "voucher" ->
          new JournalEntry.VoucherHeld(
              o.parsed("payer", Address::fromHex),
              o.integer("cumulative"),
              o.parsed("signature", Signature::fromHex));
      case "redeemed" ->
          new JournalEntry.VoucherRedeemed(
              o.parsed("payer", Address::fromHex),
              o.integer("cumulative"),
              o.integer("paid"),
              o.text("tx"));
      case "batchPrepared" ->
          new JournalEntry.ReceiptBatchPrepared(
              o.parsed("root", Bytes32::fromHex), o.number("from"), o.intNumber("count"));
      case "batchPosted" ->
          new JournalEntry.ReceiptBatchPosted(
              o.parsed("root", Bytes32::fromHex), o.number("batchId"), o.text("tx"));
      default -> throw new IllegalArgumentException("unknown entry type '" + type + "'");
    };
  }

  /** Reads an entry's fields; a missing or malformed one is an error that names it. */
  private record Fields(JsonNode node, String type) {
    String text(String name) {
      JsonNode v = node.get(name);
      if (v == null || !v.isTextual()) {
        throw bad(name, "is missing or not text");
      }
      return v.asText();
    }

    long number(String name) {
      JsonNode v = node.get(name);
      if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
        throw bad(name, "is missing or not a whole number");
      }
      return v.longValue();
    }

    int intNumber(String name) {
      JsonNode v = node.get(name);
      if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
        throw bad(name, "is missing or not a 32-bit whole number");
      }
      return v.intValue();
    }

    BigInteger integer(String name) {
      return parsed(name, BigInteger::new);
    }

    <T> T parsed(String name, Function<String, T> parse) {
      String text = text(name);
      try {
        return parse.apply(text);
      } catch (IllegalArgumentException e) { // NumberFormatException included
        throw bad(name, "is malformed (" + e.getMessage() + ")");
      }
    }

    private IllegalArgumentException bad(String name, String problem) {
      String entry = type.isEmpty() ? "entry" : "'" + type + "' entry";
      return new IllegalArgumentException(entry + ": field '" + name + "' " + problem);
    }
  }

  @Override
  public synchronized void close() {
    file.close();
  }
}
