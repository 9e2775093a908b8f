package io.vouch.node.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Signature;
import io.vouch.core.eip712.Verdict;
import io.vouch.node.journal.ChecksummedLineFile;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validator's write-ahead record of its seats and verdicts, one JSON object per checksummed
 * line ({@link ChecksummedLineFile}), next to the node's journal:
 *
 * <ul>
 *   <li>{@code seat} — drawn onto a case's committee for a round (journaled before the event
 *       checkpoint passes it, so a restart does not lose the seat);
 *   <li>{@code signed} — the verdict and its signature, forced to disk <em>before</em> it is sent:
 *       a restart sends the same signed verdict again and never signs another one for that seat;
 *   <li>{@code done} — the court counted it, had counted it already, or the round was over;
 *   <li>{@code checkpoint} — the next block of court events to read.
 * </ul>
 *
 * <p>Kept small: a validator reads court events every second or so, and a line per read would grow
 * the file by tens of thousands of fsync'd lines a day. The checkpoint is written when it has moved
 * {@value #CHECKPOINT_EVERY} blocks past the last one written (and at {@link #close}); after a
 * crash the validator reads up to that many blocks of events again, which changes nothing: a seat
 * already open or done is not journaled twice, and a done seat is never signed again. At {@link
 * #open}, a file with more than {@value #COMPACT_AFTER_LINES} lines that say less than a tenth of
 * that is rewritten to what it says (the checkpoint, each done seat with its outcome, each open
 * seat with its signed verdict) — written beside it, forced, and renamed over it, so a crash during
 * the rewrite leaves the old file.
 */
public final class VerdictJournal implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(VerdictJournal.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final ChecksummedLineFile.Format<JsonNode> FORMAT =
      new ChecksummedLineFile.Format<>(
          "verdict journal",
          VerdictJournal::parse,
          "{",
          "a verdict journal damaged in the middle cannot be trusted to say what this validator"
              + " signed: move it aside and restart only after the rounds it names have ended");

  /** A seat: the case and the committee round. */
  public record Seat(BigInteger caseId, int round) {}

  /** A verdict as signed, with its signature. */
  public record Signed(Verdict verdict, Signature signature) {}

  /** Blocks the checkpoint may move before it is written again. */
  static final int CHECKPOINT_EVERY = 256;

  /** Lines a file may have before {@link #open} considers rewriting it. */
  static final int COMPACT_AFTER_LINES = 10_000;

  private ChecksummedLineFile file;
  private long persistedCheckpoint;
  private final Map<Seat, Optional<Signed>> open = new LinkedHashMap<>();
  private final Map<Seat, String> done = new LinkedHashMap<>();
  private long checkpoint;

  private VerdictJournal(ChecksummedLineFile file) {
    this.file = file;
  }

  public static VerdictJournal open(Path path) {
    ChecksummedLineFile.Opened<JsonNode> opened = ChecksummedLineFile.open(path, FORMAT);
    VerdictJournal j = new VerdictJournal(opened.file());
    opened.entries().forEach(j::apply);
    j.persistedCheckpoint = j.checkpoint;
    List<String> state = j.state();
    int lines = opened.entries().size();
    if (lines > COMPACT_AFTER_LINES && state.size() * 10 < lines) {
      j.file.close();
      ChecksummedLineFile.replace(path, FORMAT, state);
      j.file = ChecksummedLineFile.open(path, FORMAT).file();
      LOG.info("verdict journal {}: {} lines rewritten as {}", path, lines, state.size());
    }
    return j;
  }

  /** What the journal says, as the fewest entries that say it. */
  private List<String> state() {
    List<ObjectNode> out = new ArrayList<>();
    ObjectNode c = JSON.createObjectNode();
    c.put("type", "checkpoint");
    c.put("block", checkpoint);
    out.add(c);
    done.forEach((seat, outcome) -> out.add(entry("done", seat).put("outcome", outcome)));
    open.forEach((seat, signed) -> {
      out.add(entry("seat", seat));
      signed.ifPresent(v -> out.add(signedEntry(v.verdict(), v.signature())));
    });
    List<String> lines = new ArrayList<>();
    for (ObjectNode n : out) {
      try {
        lines.add(JSON.writeValueAsString(n));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lines;
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.hasNonNull("type")) {
        throw new IllegalArgumentException("not a verdict journal entry: " + line);
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private void apply(JsonNode n) {
    switch (n.get("type").asText()) {
      case "checkpoint" -> checkpoint = Math.max(checkpoint, n.get("block").asLong());
      case "seat" -> open.putIfAbsent(seat(n), Optional.empty());
      case "signed" -> {
        Verdict v =
            new Verdict(
                new BigInteger(n.get("caseId").asText()),
                new BigInteger(n.get("requestId").asText()),
                Bytes32.fromHex(n.get("outputHash").asText()),
                Bytes32.fromHex(n.get("evidenceHash").asText()),
                n.get("valid").asBoolean(),
                n.get("round").asInt());
        Seat s = new Seat(v.caseId(), v.round());
        if (!done.containsKey(s)) {
          open.put(s, Optional.of(new Signed(v, Signature.fromHex(n.get("signature").asText()))));
        }
      }
      case "done" -> {
        Seat s = seat(n);
        open.remove(s);
        done.put(s, n.get("outcome").asText());
      }
      default -> throw new IllegalArgumentException("unknown entry type " + n.get("type"));
    }
  }

  private static Seat seat(JsonNode n) {
    return new Seat(new BigInteger(n.get("caseId").asText()), n.get("round").asInt());
  }

  private static ObjectNode entry(String type, Seat s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", type);
    n.put("caseId", s.caseId().toString());
    n.put("round", s.round());
    return n;
  }

  private void write(ObjectNode n) {
    try {
      file.appendAndForce(JSON.writeValueAsString(n));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    apply(n);
  }

  /** The next block of court events to read (0: from the deployment). */
  public synchronized long checkpoint() {
    return checkpoint;
  }

  /**
   * Moves the checkpoint; written to disk every {@value #CHECKPOINT_EVERY} blocks and at close (a
   * crash re-reads at most that many blocks of events, see the class comment).
   */
  public synchronized void checkpoint(long nextBlock) {
    if (nextBlock <= checkpoint) {
      return;
    }
    checkpoint = nextBlock;
    if (nextBlock - persistedCheckpoint >= CHECKPOINT_EVERY) {
      persistCheckpoint();
    }
  }

  private void persistCheckpoint() {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "checkpoint");
    n.put("block", checkpoint);
    write(n);
    persistedCheckpoint = checkpoint;
  }

  /** Records a seat (idempotent). */
  public synchronized void seat(Seat s) {
    if (!open.containsKey(s) && !done.containsKey(s)) {
      write(entry("seat", s));
    }
  }

  /** Records a signed verdict before it is sent; refuses a second one for the same seat. */
  public synchronized void signed(Verdict v, Signature signature) {
    Seat s = new Seat(v.caseId(), v.round());
    if (done.containsKey(s) || open.getOrDefault(s, Optional.empty()).isPresent()) {
      throw new IllegalStateException("already signed a verdict for case " + s);
    }
    write(signedEntry(v, signature));
  }

  private static ObjectNode signedEntry(Verdict v, Signature signature) {
    ObjectNode n = entry("signed", new Seat(v.caseId(), v.round()));
    n.put("requestId", v.requestId().toString());
    n.put("outputHash", v.outputHash().toHex());
    n.put("evidenceHash", v.evidenceHash().toHex());
    n.put("valid", v.valid());
    n.put("signature", signature.toHex());
    return n;
  }

  /** Records that a seat needs nothing more ({@code outcome}: what happened). */
  public synchronized void done(Seat s, String outcome) {
    if (!done.containsKey(s)) {
      ObjectNode n = entry("done", s);
      n.put("outcome", outcome);
      write(n);
    }
  }

  /** Seats not done yet, with their signed verdict if one was signed. */
  public synchronized Map<Seat, Optional<Signed>> open() {
    return new LinkedHashMap<>(open);
  }

  /** Seats done, with what happened. */
  public synchronized Map<Seat, String> done() {
    return new LinkedHashMap<>(done);
  }

  /** Every verdict signed, in the order signed (open and done): what the journal holds. */
  public synchronized List<Seat> seats() {
    List<Seat> out = new ArrayList<>(done.keySet());
    out.addAll(open.keySet());
    return out;
  }

  /**
   * Writes the checkpoint if it moved since the last one written, then closes. A checkpoint that
   * cannot be written (the file is unusable after an interrupted write, say at shutdown) is left:
   * the next start reads those blocks of events again, as after a crash.
   */
  @Override
  public synchronized void close() {
    try {
      if (checkpoint > persistedCheckpoint) {
        persistCheckpoint();
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "verdict journal: checkpoint {} not written at close ({}); the next start reads from {}",
          checkpoint,
          e.getMessage(),
          persistedCheckpoint);
    } finally {
      file.close();
    }
  }
}
