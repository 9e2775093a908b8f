package io.vouch.chain;

import io.vouch.chain.contracts.InferenceHub;
import io.vouch.chain.contracts.ModelRegistry;
import io.vouch.chain.contracts.NodeRegistry;
import io.vouch.chain.contracts.VerificationCourt;
import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.VerificationLevel;
import io.vouch.core.crypto.Keccak;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.EnclaveKeyBinding;
import io.vouch.core.eip712.InferenceReceipt;
import io.vouch.core.tensor.Tensor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The dev chain plus what the TEE level needs: a model that allows TEE, one measurement on the
 * registry's allow-list (deployed in production mode), three validators played by the test (the
 * court stays out of session: it sits from four, so requests are not routed) that approve enclave
 * keys, and helpers to register enclave keys and submit enclave-signed receipts.
 *
 * <p>The chain does not parse attestation documents (validators verify them off chain), so these
 * tests use stand-in document bytes and the test validators vote without reading them; the tee
 * module's tests cover real (simulated) documents, node's {@code KeyApprovalTest} a real committee.
 */
abstract class TeeChainTest extends DevChainTest {
  static final byte[] MEASUREMENT = randomBytes(48, 1);
  static final byte[] OTHER_MEASUREMENT = randomBytes(48, 2);
  static final long TTL = VouchDeployment.Parameters.DEFAULT_MAX_ATTESTATION_TTL_SECONDS;
  static Bytes32 teeModelId;
  static final List<Secp256k1.KeyPair> keyValidators = new ArrayList<>();

  @BeforeAll
  static void publishTeeModelAndAllowMeasurement() throws Exception {
    TransactionReceipt published =
        deployment
            .modelRegistry(sender(4))
            .publish(
                "support-intent-tee",
                BigInteger.ONE,
                "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
                Keccak.hash("schema").toArray(),
                new byte[32],
                BigInteger.valueOf(VerificationLevel.VANILLA.bit() | VerificationLevel.TEE.bit()),
                MODEL_FEE)
            .send();
    teeModelId = Bytes32.wrap(ModelRegistry.getModelPublishedEvents(published).getFirst().modelId);
    deployment.nodeRegistry(sender(0)).allowMeasurement(MEASUREMENT).send();
    keyValidators.clear();
    for (int i = 0; i < 3; i++) {
      Secp256k1.KeyPair k = Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("tee-validator-" + i));
      anvil.setBalance(k.address(), ETH.multiply(BigInteger.valueOf(1_000)));
      deployment
          .nodeRegistry(TransactionSender.create(anvil.web3j(), k))
          .register(
              BigInteger.TWO, "http://validator", BigInteger.ZERO, BigInteger.ZERO, List.of(), ETH)
          .send();
      keyValidators.add(k);
    }
    takeSnapshotOfDeployedState();
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  /** A deterministic enclave key, distinct from every dev account. */
  static Secp256k1.KeyPair enclaveKey(int i) {
    return Secp256k1.KeyPair.fromPrivateKey(Keccak.hash("enclave key " + i));
  }

  /** Stand-in attestation document bytes for {@code key} (the chain only hashes and logs them). */
  static byte[] documentFor(Secp256k1.KeyPair key) {
    return ("attestation document binding " + key.address()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The enclave key's proof of possession for {@code node}: its signature over {@code
   * EnclaveKeyBinding(node, key)} in the registry's domain, as an enclave makes it.
   */
  static byte[] keyProof(TransactionSender node, Secp256k1.KeyPair key) {
    return new EnclaveKeyBinding(node.address(), key.address())
        .sign(deployment.nodeRegistryDomain(), key)
        .toArray();
  }

  /** Registers {@code key} for {@code node} and has the test validators approve it. */
  TransactionReceipt registerKey(
      TransactionSender node, Secp256k1.KeyPair key, byte[] measurement, long docTime, long expiry)
      throws Exception {
    return registerKey(
        node, key.address(), measurement, docTime, expiry, documentFor(key), keyProof(node, key));
  }

  /**
   * {@code node} sends a registration with every argument given; the test validators then approve
   * the key (a committee drawn from the next block but one, 2 of 3 VALID).
   */
  TransactionReceipt registerKey(
      TransactionSender node,
      Address key,
      byte[] measurement,
      long docTime,
      long expiry,
      byte[] doc,
      byte[] proof)
      throws Exception {
    TransactionReceipt r = registerPendingKey(node, key, measurement, docTime, expiry, doc, proof);
    decideKey(approvalCaseOf(r), true);
    return r;
  }

  /** {@code node} registers a key (with the court's fee); nobody votes on it yet. */
  TransactionReceipt registerPendingKey(
      TransactionSender node,
      Address key,
      byte[] measurement,
      long docTime,
      long expiry,
      byte[] doc,
      byte[] proof)
      throws Exception {
    return nodes(node)
        .registerEnclaveKey(
            key.toHex(),
            measurement,
            Keccak.hash(doc).toArray(),
            BigInteger.valueOf(docTime),
            BigInteger.valueOf(expiry),
            doc,
            proof,
            keyApprovalFee())
        .send();
  }

  /** {@code node} registers {@code key} for an hour; nobody votes on it yet. */
  TransactionReceipt registerPendingKey(TransactionSender node, Secp256k1.KeyPair key)
      throws Exception {
    long now = now();
    return registerPendingKey(
        node, key.address(), MEASUREMENT, now, now + 3_600, documentFor(key), keyProof(node, key));
  }

  static BigInteger keyApprovalFee() throws Exception {
    return deployment.verificationCourt(sender(0)).keyApprovalFee().send();
  }

  static BigInteger approvalCaseOf(TransactionReceipt registration) {
    return NodeRegistry.getEnclaveKeyRegisteredEvents(registration).getFirst().approvalCase;
  }

  /**
   * A keeper draws the key's case; two of its three members vote {@code valid}. Returns the draw's
   * receipt and the two votes'.
   */
  List<TransactionReceipt> decideKey(BigInteger caseId, boolean valid) throws Exception {
    VerificationCourt court = deployment.verificationCourt(stranger);
    anvil.mine();
    List<TransactionReceipt> out = new ArrayList<>();
    out.add(court.draw(caseId).send());
    List<String> members = committeeArg(caseId).members;
    for (int i = 0; i < 2; i++) {
      String seat = members.get(i);
      Secp256k1.KeyPair member =
          keyValidators.stream()
              .filter(k -> k.address().toHex().equalsIgnoreCase(seat))
              .findFirst()
              .orElseThrow();
      out.add(
          deployment
              .verificationCourt(TransactionSender.create(anvil.web3j(), member))
              .vote(caseId, BigInteger.ZERO, valid, committeeArg(caseId))
              .send());
    }
    return out;
  }

  /** The test validator sitting at {@code member}. */
  static Secp256k1.KeyPair keyValidator(String member) {
    return keyValidators.stream()
        .filter(k -> k.address().toHex().equalsIgnoreCase(member))
        .findFirst()
        .orElseThrow();
  }

  /** Registers {@code key} for {@code node} under the allowed measurement, valid for an hour. */
  TransactionReceipt registerKey(TransactionSender node, Secp256k1.KeyPair key) throws Exception {
    long now = now();
    return registerKey(node, key, MEASUREMENT, now, now + 3_600);
  }

  boolean isActive(TransactionSender node, Secp256k1.KeyPair key) throws Exception {
    return nodes(deployer).isActiveEnclaveKey(node.address().toHex(), key.address().toHex()).send();
  }

  /** A TEE-level request by the EOA requester, assigned to {@code node}, without callback. */
  BigInteger requestTee(TransactionSender node) throws Exception {
    TransactionReceipt r =
        hub(requester)
            .request(
                teeModelId.toArray(),
                input().canonicalBytes(),
                input().hash().toArray(),
                BigInteger.valueOf(VerificationLevel.TEE.code()),
                BigInteger.valueOf(now() + 600),
                node.address().toHex(),
                Address.ZERO.toHex(),
                BigInteger.ZERO,
                false,
                FEE)
            .send();
    return InferenceHub.getInferenceRequestedEvents(r).getFirst().requestId;
  }

  /** The receipt a TEE node's enclave signs: level TEE, evidence = the key's document hash. */
  static InferenceReceipt teeReceipt(
      BigInteger requestId, Bytes32 model, Address node, Tensor output, Secp256k1.KeyPair key) {
    return new InferenceReceipt(
        Bytes32.fromUint(requestId),
        model,
        input().hash(),
        output.hash(),
        VerificationLevel.TEE,
        Keccak.hash(documentFor(key)),
        node,
        1_700_000_000L,
        1);
  }

  /**
   * {@code node} submits {@code output} for a TEE request with a receipt signed by {@code signer}.
   */
  TransactionReceipt submitTee(
      TransactionSender node, BigInteger requestId, Tensor output, Secp256k1.KeyPair signer)
      throws Exception {
    InferenceReceipt receipt = teeReceipt(requestId, teeModelId, node.address(), output, signer);
    return submit(
        node,
        requestId,
        output,
        receipt,
        signer.sign(receipt.digest(deployment.domain())).toArray());
  }
}
