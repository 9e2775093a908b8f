package io.vouch.demo;

import java.util.Objects;

/** One utterance and the intent a person labelled it with. */
public record LabelledText(String intent, String text) {
  public LabelledText {
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(text, "text");
  }
}
