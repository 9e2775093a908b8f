package io.vouch.demo.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HashedBagOfWordsTest {
  private final HashedBagOfWords bow512 = new HashedBagOfWords(512);

  // The first 4 bytes of keccak256 of a Solidity signature are its well-known function selector:
  // transfer(address,uint256) -> 0xa9059cbb, balanceOf(address) -> 0x70a08231.

  @Test
  void bucketIsTheLowNineBitsOfTheSelectorFor512Buckets() {
    // 0xa9059cbb: low 9 bits of ...9cbb = 0b0_1011_1011 = 0xbb = 187
    assertThat(bow512.bucketOf("transfer(address,uint256)")).isEqualTo(0xbb);
    // 0x70a08231: low 9 bits of ...8231 = 0b0_0011_0001 = 0x31 = 49
    assertThat(bow512.bucketOf("balanceOf(address)")).isEqualTo(0x31);
  }

  @Test
  void bucketReadsTheFirstFourBytesAsAnUnsignedBigEndianInteger() {
    // 0xa9059cbb = 2,835,717,307 unsigned (negative as a signed int); mod 1000 = 307
    assertThat(new HashedBagOfWords(1000).bucketOf("transfer(address,uint256)")).isEqualTo(307);
    // 0x70a08231 = 1,889,567,281; mod 1000 = 281
    assertThat(new HashedBagOfWords(1000).bucketOf("balanceOf(address)")).isEqualTo(281);
  }

  @Test
  void tokensFoldCaseAccentsAndApostrophes() {
    assertThat(HashedBagOfWords.tokens("Don't WAIT\u2014Caf\u00e9 #42!! I\u2019m here"))
        .containsExactly("dont", "wait", "cafe", "42", "im", "here");
  }

  @Test
  void nonAsciiCharactersThatDoNotFoldSeparateTokens() {
    assertThat(HashedBagOfWords.tokens("hi\uD83D\uDE00there \u20ac5"))
        .containsExactly("hi", "there", "5");
  }

  @Test
  void compatibilityFormsFoldToAscii() {
    // NFKD turns the fullwidth letters and the "fi" ligature into plain ASCII
    assertThat(HashedBagOfWords.tokens("\uFF2F\uFF32\uFF24\uFF25\uFF32 \uFB01x"))
        .containsExactly("order", "fix");
  }

  @Test
  void featuresAreUnigramsThenAdjacentBigrams() {
    assertThat(HashedBagOfWords.features("Where is my order?"))
        .containsExactly("where", "is", "my", "order", "where is", "is my", "my order");
  }

  @Test
  void textWithoutTokensGivesTheZeroVector() {
    float[] v = bow512.vectorize(" ?!... \u2014 ");
    assertThat(v).hasSize(512).containsOnly(0f);
  }

  @Test
  void singleTokenStringSetsExactlyTheBucketOfThatToken() {
    float[] v = bow512.vectorize("Refund!");
    assertThat(ones(v)).containsExactly(bow512.bucketOf("refund"));
    assertThat(bow512.vectorize("   REFUND ")).isEqualTo(v);
  }

  @Test
  void twoTokenStringSetsBothUnigramsAndTheBigram() {
    Set<Integer> expected =
        new TreeSet<>(
            List.of(
                bow512.bucketOf("refund"),
                bow512.bucketOf("please"),
                bow512.bucketOf("refund please")));
    assertThat(ones(bow512.vectorize("Refund, please"))).containsExactlyElementsOf(expected);
  }

  @Test
  void repeatedFeaturesAreCountedOnce() {
    float[] v = bow512.vectorize("refund refund refund");
    assertThat(v).containsOnly(0f, 1f);
    assertThat(ones(v))
        .containsExactlyElementsOf(
            new TreeSet<>(List.of(bow512.bucketOf("refund"), bow512.bucketOf("refund refund"))));
  }

  @Test
  void batchTensorHoldsOneVectorPerRow() {
    List<String> texts = List.of("where is my parcel", "cancel it", "");
    Tensor t = bow512.toTensor(texts);
    assertThat(t.dtype()).isEqualTo(DType.FLOAT32);
    assertThat(t.shape()).containsExactly(3, 512);
    float[] all = t.toFloats();
    for (int row = 0; row < texts.size(); row++) {
      float[] rowValues = new float[512];
      System.arraycopy(all, row * 512, rowValues, 0, 512);
      assertThat(rowValues).isEqualTo(bow512.vectorize(texts.get(row)));
    }
  }

  @Test
  void singleTextTensorHasBatchDimensionOne() {
    assertThat(bow512.toTensor("hello").shape()).containsExactly(1, 512);
  }

  @Test
  void specNamesTheBucketCount() {
    assertThat(new HashedBagOfWords(256).spec()).contains("vouch-hashed-bow-v1", "buckets=256");
  }

  @Test
  void rejectsANonPositiveBucketCount() {
    assertThatThrownBy(() -> new HashedBagOfWords(0)).hasMessageContaining("at least 1");
  }

  private static List<Integer> ones(float[] v) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0f) {
        indices.add(i);
      }
    }
    return indices;
  }
}
