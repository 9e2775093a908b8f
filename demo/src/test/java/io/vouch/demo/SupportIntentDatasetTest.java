package io.vouch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SupportIntentDatasetTest {
  private final SupportIntentDataset dataset = SupportIntentDataset.load();

  @Test
  void coversTheEightRequiredIntentsWithAtLeastFortyExamplesEach() {
    assertThat(dataset.labels())
        .containsAll(
            List.of(
                "refund",
                "order_status",
                "cancel_order",
                "change_address",
                "account_access",
                "payment_failed",
                "product_question",
                "talk_to_human"));
    assertThat(dataset.countsByIntent().values())
        .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(40));
  }

  @Test
  void holdsNoDuplicateUtterances() {
    Set<String> seen = new HashSet<>();
    for (LabelledText e : dataset.examples()) {
      assertThat(seen.add(e.text().toLowerCase(java.util.Locale.ROOT)))
          .as("duplicate: %s", e.text())
          .isTrue();
    }
  }

  @Test
  void stratifiedSplitHoldsOutTheSameShareOfEveryIntent() {
    SupportIntentDataset.Split split = dataset.stratifiedSplit(0.2, 1);
    for (String label : dataset.labels()) {
      long total = dataset.countsByIntent().get(label);
      long held = split.heldOut().stream().filter(e -> e.intent().equals(label)).count();
      assertThat(held).isEqualTo(Math.round(total * 0.2));
    }
    assertThat(split.train().size() + split.heldOut().size()).isEqualTo(dataset.examples().size());
  }

  @Test
  void trainAndHeldOutShareNoExample() {
    SupportIntentDataset.Split split = dataset.stratifiedSplit(0.2, 1);
    assertThat(split.train()).doesNotContainAnyElementsOf(split.heldOut());
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedADifferentOne() {
    assertThat(dataset.stratifiedSplit(0.2, 3)).isEqualTo(dataset.stratifiedSplit(0.2, 3));
    assertThat(dataset.stratifiedSplit(0.2, 3).heldOut())
        .isNotEqualTo(dataset.stratifiedSplit(0.2, 4).heldOut());
  }

  @Test
  void parsingRejectsALineWithoutATab() {
    assertThatThrownBy(() -> SupportIntentDataset.parse("intent\ttext\nrefund money back\n"))
        .hasMessageContaining("line 2 must be intent<TAB>text");
  }
}
