package io.vouch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.onnx.OnnxModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoModelTest {
  private static DemoModel demo;

  @BeforeAll
  static void build() {
    demo = DemoModel.build();
  }

  @Test
  void reportedHeldOutAccuracyIsWhatOnnxRuntimeMeasuresAndAtLeast85Percent() {
    try (SupportIntentModel model = SupportIntentModel.load(demo.onnx())) {
      double measured = model.accuracy(demo.heldOut());
      System.out.printf(
          "demo held-out accuracy %.4f on %d messages (train %.4f)%n",
          measured, demo.heldOut().size(), demo.trainAccuracy());
      assertThat(measured).isEqualTo(demo.heldOutAccuracy());
      assertThat(measured).isGreaterThanOrEqualTo(0.85);
    }
  }

  @Test
  void buildingTwiceGivesTheSameBytes() {
    assertThat(DemoModel.build().onnx()).isEqualTo(demo.onnx());
  }

  @Test
  void labelsAreStoredInTheModelMetadata() {
    OnnxModelFile file = OnnxModelFile.parse(demo.onnx());
    assertThat(file.classLabels()).contains(demo.labels());
    assertThat(demo.labels())
        .contains(
            "refund",
            "order_status",
            "cancel_order",
            "change_address",
            "account_access",
            "payment_failed",
            "product_question",
            "talk_to_human");
  }

  @Test
  void modelIsAGemmReluGemmOverTheFeaturizerBuckets() {
    OnnxModelFile file = OnnxModelFile.parse(demo.onnx());
    assertThat(file.opTypes()).containsExactly("Gemm", "Relu");
    assertThat(file.inputs().get(0).shape()).containsExactly(-1, 512);
    assertThat(file.outputs().get(0).shape()).containsExactly(-1, demo.labels().size());
  }
}
