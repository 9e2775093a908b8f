package io.vouch.bench.finality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The figures of a run: median and p95 (nearest rank) of each step over the finalized requests, as
 * JSON-ready maps and as a Markdown table.
 *
 * @param machine cores and load averages before and after the run
 * @param setup what ran: block time, validators, nodes, in-flight requests, model
 */
public record FinalityReport(
    Map<String, Object> setup, Map<String, Object> machine, List<RequestTimeline> requests) {

  /** The steps reported, by name: how each is read from a timeline. */
  static final Map<String, ToLongFunction<RequestTimeline>> STEPS = steps();

  private static Map<String, ToLongFunction<RequestTimeline>> steps() {
    Map<String, ToLongFunction<RequestTimeline>> m = new LinkedHashMap<>();
    m.put("submittedToFinalizedBlocks", RequestTimeline::blocks);
    m.put("submittedToFinalizedSeconds", RequestTimeline::seconds);
    m.put("submittedToDrawBlocks", RequestTimeline::toDraw);
    m.put("drawToFinalizedBlocks", RequestTimeline::drawToFinal);
    m.put("requestedToSubmittedBlocks", RequestTimeline::requestToSubmit);
    return m;
  }

  public long finalizedCount() {
    return requests.stream().filter(RequestTimeline::finalized).count();
  }

  /** The {@code q}-quantile (nearest rank) of {@code values}; -1 when there are none. */
  static long quantile(List<Long> values, double q) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** The values of one step over the finalized requests that went through it. */
  List<Long> values(ToLongFunction<RequestTimeline> step) {
    return requests.stream()
        .filter(RequestTimeline::finalized)
        .mapToLong(step)
        .filter(v -> v >= 0)
        .boxed()
        .toList();
  }

  /** Per step: median, p95, min, max. */
  public Map<String, Map<String, Long>> summary() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    STEPS.forEach((name, step) -> {
      List<Long> v = values(step);
      Map<String, Long> s = new LinkedHashMap<>();
      s.put("median", quantile(v, 0.5));
      s.put("p95", quantile(v, 0.95));
      s.put("min", v.stream().mapToLong(Long::longValue).min().orElse(-1));
      s.put("max", v.stream().mapToLong(Long::longValue).max().orElse(-1));
      out.put(name, s);
    });
    return out;
  }

  /** Everything, for the JSON file. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("setup", setup);
    m.put("machine", machine);
    m.put("requests", requests.size());
    m.put("finalized", finalizedCount());
    m.put("summary", summary());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RequestTimeline t : requests) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("requestId", t.requestId().toString());
      r.put("attempt", t.attempt());
      r.put("round", t.round());
      r.put("outcome", t.outcome());
      r.put("requestedBlock", t.requestedBlock());
      r.put("submittedBlock", t.submittedBlock());
      r.put("drawBlock", t.drawBlock());
      r.put("verdictBlocks", t.verdictBlocks());
      r.put("finalizedBlock", t.finalizedBlock());
      r.put("blocks", t.blocks());
      r.put("seconds", t.seconds());
      rows.add(r);
    }
    m.put("timelines", rows);
    return m;
  }

  /** The Markdown table of bench/README.md's "ZKML finality". */
  public String table() {
    Map<String, Map<String, Long>> s = summary();
    StringBuilder b = new StringBuilder();
    b.append(
        "| requests | finalized | submitted → finalized, blocks (median / p95) | seconds (median /"
            + " p95) | submitted → draw, blocks | draw → finalized, blocks | requested →"
            + " submitted, blocks |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    b.append(
        String.format(
            Locale.ROOT,
            "| %d | %d | **%s** | %s | %s | %s | %s |%n",
            requests.size(),
            finalizedCount(),
            pair(s.get("submittedToFinalizedBlocks")),
            pair(s.get("submittedToFinalizedSeconds")),
            pair(s.get("submittedToDrawBlocks")),
            pair(s.get("drawToFinalizedBlocks")),
            pair(s.get("requestedToSubmittedBlocks"))));
    return b.toString();
  }

  private static String pair(Map<String, Long> s) {
    return s.get("median") + " / " + s.get("p95");
  }

  /** One request's timeline as a line: where its blocks went. */
  public static String describe(RequestTimeline t) {
    return String.format(
        Locale.ROOT,
        "request %s: requested %d, submitted %d (case opened, seed %d), drawn %d (+%d), verdicts"
            + " %s, finalized %d (+%d): %d blocks, %d s%s",
        t.requestId(),
        t.requestedBlock(),
        t.submittedBlock(),
        t.submittedBlock() + 1,
        t.drawBlock(),
        t.toDraw(),
        t.verdictBlocks(),
        t.finalizedBlock(),
        t.drawToFinal(),
        t.blocks(),
        t.seconds(),
        t.round() > 1 ? " (round " + t.round() + ")" : "");
  }
}
