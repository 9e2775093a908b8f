package io.vouch.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The labelled support messages of the demo: {@code support-intents.tsv} next to this class, one
 * {@code intent<TAB>text} per line after a header line. Written for this project: customer messages
 * to an online shop, with typos, short and long, polite and angry.
 */
public record SupportIntentDataset(List<LabelledText> examples, List<String> labels) {
  public static final String RESOURCE = "support-intents.tsv";

  public SupportIntentDataset {
    examples = List.copyOf(examples);
    labels = List.copyOf(labels);
  }

  /** The train and held-out parts of a split. */
  public record Split(List<LabelledText> train, List<LabelledText> heldOut) {
    public Split {
      train = List.copyOf(train);
      heldOut = List.copyOf(heldOut);
    }
  }

  /** Loads the bundled dataset; labels are in order of first appearance in the file. */
  public static SupportIntentDataset load() {
    try (InputStream in = SupportIntentDataset.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource "
                + RESOURCE
                + " is missing from the classpath next to "
                + SupportIntentDataset.class.getName());
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Parses {@code intent<TAB>text} lines; the first line is a header and is skipped. */
  public static SupportIntentDataset parse(String tsv) {
    List<LabelledText> examples = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new java.io.StringReader(tsv))) {
      String line = reader.readLine(); // header
      int number = 1;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab <= 0 || tab == line.length() - 1 || line.indexOf('\t', tab + 1) >= 0) {
          throw new IllegalArgumentException(
              "line " + number + " must be intent<TAB>text with exactly one tab: " + line);
        }
        String intent = line.substring(0, tab);
        if (!labels.contains(intent)) {
          labels.add(intent);
        }
        examples.add(new LabelledText(intent, line.substring(tab + 1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SupportIntentDataset(examples, labels);
  }

  /** How many examples each intent has, in label order. */
  public Map<String, Integer> countsByIntent() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    labels.forEach(l -> counts.put(l, 0));
    examples.forEach(e -> counts.merge(e.intent(), 1, Integer::sum));
    return counts;
  }

  /**
   * A stratified split: for every intent, its examples are shuffled with {@code new Random(seed)}
   * (one generator, intents taken in label order) and the first {@code round(n * heldOutFraction)}
   * are held out. The same seed always gives the same split.
   */
  public Split stratifiedSplit(double heldOutFraction, long seed) {
    if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException(
          "heldOutFraction must be in (0, 1), got " + heldOutFraction);
    }
    Random random = new Random(seed);
    List<LabelledText> train = new ArrayList<>();
    List<LabelledText> heldOut = new ArrayList<>();
    for (String label : labels) {
      List<LabelledText> ofLabel =
          new ArrayList<>(examples.stream().filter(e -> e.intent().equals(label)).toList());
      java.util.Collections.shuffle(ofLabel, random);
      int held = (int) Math.round(ofLabel.size() * heldOutFraction);
      heldOut.addAll(ofLabel.subList(0, held));
      train.addAll(ofLabel.subList(held, ofLabel.size()));
    }
    return new Split(train, heldOut);
  }
}
