package io.vouch.demo.text;

import io.vouch.core.crypto.Keccak;
import io.vouch.core.tensor.Tensor;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashed bag of words, version 1: text to a binary float vector of {@code D} buckets from unigrams
 * and bigrams hashed with keccak256. The exact rule, which other languages and contracts can
 * reproduce, is in the {@link io.vouch.demo.text package description}:
 *
 * <ol>
 *   <li>fold: NFKD, delete U+0300..U+036F and the apostrophes U+0027 / U+2019, lower-case A-Z;
 *   <li>tokenize: maximal runs of {@code [a-z0-9]}, anything else separates;
 *   <li>features: every token and every adjacent pair joined by one space;
 *   <li>bucket(f) = uint32 big-endian of the first 4 bytes of keccak256(utf8(f)) mod D; bucket
 *       value 1.0 if any feature lands there, else 0.0.
 * </ol>
 *
 * Immutable and thread-safe.
 */
public final class HashedBagOfWords {
  /** The bucket count used by the demo model. */
  public static final int DEFAULT_BUCKETS = 512;

  /** A name for this featurizer and its parameters, stored in model metadata. */
  public static final String SPEC_NAME = "vouch-hashed-bow-v1";

  private final int buckets;

  public HashedBagOfWords(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("bucket count must be at least 1, got " + buckets);
    }
    this.buckets = buckets;
  }

  public static HashedBagOfWords withDefaultBuckets() {
    return new HashedBagOfWords(DEFAULT_BUCKETS);
  }

  public int buckets() {
    return buckets;
  }

  /**
   * The full description of this featurizer with its bucket count, e.g. {@code
   * vouch-hashed-bow-v1;buckets=512;features=unigram,bigram;values=binary}.
   */
  public String spec() {
    return SPEC_NAME + ";buckets=" + buckets + ";features=unigram,bigram;values=binary";
  }

  /** Steps 1 and 2: the folded tokens of {@code text}, in order. */
  public static List<String> tokens(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < decomposed.length(); i++) {
      char c = decomposed.charAt(i);
      if ((c >= '\u0300' && c <= '\u036f') || c == '\'' || c == '\u2019') {
        continue; // deleted, so they neither split nor appear in a token
      }
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c - 'A' + 'a');
      }
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        current.append(c);
      } else if (!current.isEmpty()) {
        tokens.add(current.toString());
        current.setLength(0);
      }
    }
    if (!current.isEmpty()) {
      tokens.add(current.toString());
    }
    return tokens;
  }

  /** Step 3: unigrams in token order, then bigrams in token order. */
  public static List<String> features(String text) {
    List<String> tokens = tokens(text);
    List<String> features = new ArrayList<>(tokens);
    for (int i = 0; i + 1 < tokens.size(); i++) {
      features.add(tokens.get(i) + " " + tokens.get(i + 1));
    }
    return features;
  }

  /** Step 4 for one feature: its bucket in {@code [0, buckets)}. */
  public int bucketOf(String feature) {
    byte[] h = Keccak.hash(feature).toArray();
    long first4 =
        ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
    return (int) (first4 % buckets);
  }

  /** The feature vector of {@code text}: {@code buckets()} values, each 0.0 or 1.0. */
  public float[] vectorize(String text) {
    float[] vector = new float[buckets];
    for (String feature : features(text)) {
      vector[bucketOf(feature)] = 1.0f;
    }
    return vector;
  }

  /** A float32 tensor of shape {@code [1, buckets]}: the model input for one message. */
  public Tensor toTensor(String text) {
    return Tensor.ofFloats(new int[] {1, buckets}, vectorize(text));
  }

  /** A float32 tensor of shape {@code [texts.size(), buckets]}, one row per text. */
  public Tensor toTensor(List<String> texts) {
    float[] batch = new float[texts.size() * buckets];
    for (int row = 0; row < texts.size(); row++) {
      System.arraycopy(vectorize(texts.get(row)), 0, batch, row * buckets, buckets);
    }
    return Tensor.ofFloats(new int[] {texts.size(), buckets}, batch);
  }
}
