package io.vouch.cli.intents;

import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.demo.LabelledText;
import io.vouch.demo.SupportIntentDataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user's labelled messages, read from the TSV format {@code vouch train-intents} documents:
 * UTF-8, one {@code intent<TAB>text} per line with exactly one tab; blank lines and lines starting
 * with {@code #} are skipped; a first line {@code intent<TAB>text} is a header (the demo's file has
 * one). Intent names are trimmed and may not contain a comma (the model's metadata lists them
 * comma-separated); labels keep the order in which they first appear.
 */
record IntentData(List<LabelledText> examples, List<String> labels) {
  /** Fewer messages than this for an intent gets a warning: its held-out share is tiny or none. */
  static final int FEW = 5;

  IntentData {
    examples = List.copyOf(examples);
    labels = List.copyOf(labels);
  }

  static IntentData parse(String source, String tsv) {
    List<LabelledText> examples = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    String[] lines = tsv.split("\n", -1);
    boolean first = true;
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1); // a byte order mark
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (first) {
        first = false;
        if (line.strip().toLowerCase(Locale.ROOT).matches("intent\\s*\\t\\s*text")) {
          continue; // header
        }
      }
      String where = source + " line " + (i + 1);
      int tab = line.indexOf('\t');
      if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
        throw bad(
            where
                + " must be intent<TAB>text with exactly one tab, found "
                + line.chars().filter(c -> c == '\t').count()
                + ": "
                + abbreviate(line));
      }
      String intent = line.substring(0, tab).strip();
      String text = line.substring(tab + 1).strip();
      if (intent.isEmpty()) {
        throw bad(where + " has no intent before the tab");
      }
      if (intent.contains(",")) {
        throw bad(where + ": intent '" + intent + "' contains a comma; use names without commas");
      }
      if (text.isEmpty()) {
        throw bad(where + " has no text after the tab");
      }
      if (!labels.contains(intent)) {
        labels.add(intent);
      }
      examples.add(new LabelledText(intent, text));
    }
    if (examples.isEmpty()) {
      throw bad(source + " has no labelled messages; each line is intent<TAB>text");
    }
    if (labels.size() < 2) {
      throw bad(
          source
              + " has one intent only ("
              + labels.get(0)
              + "); a classifier needs at least two: label messages of another intent too");
    }
    return new IntentData(examples, labels);
  }

  /** Messages per intent, in label order. */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    labels.forEach(l -> counts.put(l, 0));
    examples.forEach(e -> counts.merge(e.intent(), 1, Integer::sum));
    return counts;
  }

  /** The intents with fewer than {@link #FEW} messages. */
  List<String> sparseIntents() {
    return counts().entrySet().stream()
        .filter(e -> e.getValue() < FEW)
        .map(Map.Entry::getKey)
        .toList();
  }

  SupportIntentDataset.Split split(double heldOutFraction, long seed) {
    return new SupportIntentDataset(examples, labels).stratifiedSplit(heldOutFraction, seed);
  }

  private static String abbreviate(String line) {
    String shown = line.replace("\t", "<TAB>");
    return shown.length() <= 80 ? shown : shown.substring(0, 77) + "...";
  }

  private static VouchException bad(String message) {
    return new VouchException(ErrorCode.BAD_INPUT, message);
  }
}
