/**
 * The demo model: a lightweight customer-service intent classifier meant to be called from
 * contracts. A message is featurized with {@link io.vouch.demo.text.HashedBagOfWords} (512 buckets,
 * reproducible in Solidity or any language), classified by a 512-64-K MLP, and answered with one of
 * the intents of {@link io.vouch.demo.SupportIntentDataset} (refund, order_status, cancel_order,
 * change_address, account_access, payment_failed, product_question, talk_to_human).
 *
 * <p>{@link io.vouch.demo.DemoModel#build()} trains it deterministically with {@link
 * io.vouch.demo.SoftmaxMlpTrainer} and writes the ONNX file with labels and featurizer spec in its
 * metadata; {@link io.vouch.demo.SupportIntentModel} runs it on ONNX Runtime.
 */
package io.vouch.demo;
