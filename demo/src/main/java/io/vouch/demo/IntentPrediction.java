package io.vouch.demo;

/**
 * The classifier's answer for one message.
 *
 * @param intent the most likely intent's label
 * @param classIndex its output index (the argmax of the logits, first on ties)
 * @param probability its softmax probability, for display; the model itself outputs logits
 */
public record IntentPrediction(String intent, int classIndex, double probability) {}
