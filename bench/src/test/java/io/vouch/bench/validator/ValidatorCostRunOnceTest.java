package io.vouch.bench.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.bench.direct.BenchModel;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.crypto.Signature;
import io.vouch.core.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The validator-cost benchmark's setup and one invocation of each method, without JMH. */
class ValidatorCostRunOnceTest {
  @ParameterizedTest
  @EnumSource(BenchModel.class)
  void anAuditVerdictIsAValidVerdictSignedByTheValidator(BenchModel model) {
    ValidatorCost bench = new ValidatorCost();
    bench.model = model;
    bench.load();
    try {
      Tensor out = bench.inference();
      assertThat(out.shape()).startsWith(1);

      Signature audit = (Signature) bench.auditVerdict();
      assertThat(Secp256k1.recover(bench.verdict.digest(bench.court), audit))
          .isEqualTo(bench.validator.address());
      assertThat(bench.verdict.valid()).isTrue();
      assertThat(bench.signVerdict()).isEqualTo(audit); // deterministic (RFC 6979)
    } finally {
      bench.close();
    }
  }
}
