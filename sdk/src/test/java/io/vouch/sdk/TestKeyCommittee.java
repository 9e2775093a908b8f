package io.vouch.sdk;

import io.vouch.chain.AnvilProcess;
import io.vouch.chain.VouchDeployment;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.registry.NodeRegistryClient;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Three validators played by a test: they register (validator role only, 1 ETH each) and decide
 * enclave keys' KeyApproval cases without reading the documents — the node module's {@code
 * KeyApprovalTest} and the devnet have real validators judge them. Deploy with a court that sits
 * from four validators so that these three approve keys without routing requests through the court.
 */
final class TestKeyCommittee {
  private final AnvilProcess anvil;
  private final VouchDeployment deployment;
  private final List<Secp256k1.KeyPair> members = new ArrayList<>();

  private TestKeyCommittee(AnvilProcess anvil, VouchDeployment deployment) {
    this.anvil = anvil;
    this.deployment = deployment;
  }

  static TestKeyCommittee register(AnvilProcess anvil, VouchDeployment deployment, String label)
      throws Exception {
    TestKeyCommittee c = new TestKeyCommittee(anvil, deployment);
    for (int i = 0; i < 3; i++) {
      Secp256k1.KeyPair k =
          Secp256k1.KeyPair.fromPrivateKey(Keccak.hash(label + "/validator-" + i));
      anvil.setBalance(k.address(), BigInteger.TEN.pow(20));
      deployment
          .nodeRegistry(TransactionSender.create(anvil.web3j(), k))
          .register(
              BigInteger.TWO,
              "http://validator",
              BigInteger.ZERO,
              BigInteger.ZERO,
              List.of(),
              BigInteger.TEN.pow(18))
          .send();
      c.members.add(k);
    }
    return c;
  }

  /** Draws the case of {@code enclaveKey}'s latest registration; two members vote {@code valid}. */
  void decide(Address enclaveKey, boolean valid) throws Exception {
    BigInteger caseId =
        NodeRegistryClient.readOnly(anvil.web3j(), deployment)
            .enclaveKeyInfo(enclaveKey)
            .approvalCase();
    anvil.mine();
    TransactionSender keeper = TransactionSender.create(anvil.web3j(), members.getFirst());
    deployment.verificationCourt(keeper).draw(caseId).send();
    VerificationCourt.Committee committee =
        io.vouch.chain.court.CourtClient.committeeOf(
            new io.vouch.chain.court.CourtClient(keeper, deployment).getCase(caseId));
    List<String> seats = committee.members;
    for (int i = 0; i < 2; i++) {
      String seat = seats.get(i);
      Secp256k1.KeyPair member =
          members.stream()
              .filter(k -> k.address().toHex().equalsIgnoreCase(seat))
              .findFirst()
              .orElseThrow();
      VerificationCourt court =
          deployment.verificationCourt(TransactionSender.create(anvil.web3j(), member));
      court.vote(caseId, BigInteger.ZERO, valid, committee).send();
    }
  }
}
