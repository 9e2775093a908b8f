package io.vouch.zk.mlp;

/** The result of proving one inference: the logits (the public output) and the proof. */
public record ProvedInference(long[] logits, ZkProof proof) {
  public ProvedInference {
    logits = logits.clone();
  }

  @Override
  public long[] logits() {
    return logits.clone();
  }
}
