package io.vouch.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vouch.chain.tx.TransactionSender;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.core.eip712.Eip712Domain;
import io.vouch.core.eip712.EnclaveKeyBinding;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Item 11: an enclave key registers only with its proof of possession, {@code
 * EnclaveKeyBinding(node, enclaveKey)} signed by the key in the NodeRegistry's EIP-712 domain. Each
 * test is an attack through the public contract.
 */
class EnclaveKeyProofOfPossessionTest extends TeeChainTest {
  static final BigInteger CURVE_ORDER =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  /** {@code node} registers the address {@code key} with {@code proof}, valid for an hour. */
  void register(TransactionSender node, Address key, byte[] doc, byte[] proof) throws Exception {
    long now = now();
    registerKey(node, key, MEASUREMENT, now, now + 3_600, doc, proof);
  }

  static byte[] proofIn(Eip712Domain domain, Address node, Secp256k1.KeyPair key) {
    return new EnclaveKeyBinding(node, key.address()).sign(domain, key).toArray();
  }

  @Test
  void anotherNodeReplayingAGenuineRegistrationIsRefusedAndTheOwnerStillRegisters()
      throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    byte[] genuineProof = keyProof(node1, key);

    // node2 copies node1's registration (same key, document and signature), e.g. from the mempool.
    var e =
        assertReverts(
            "InvalidEnclaveKeyProof",
            () -> register(node2, key.address(), documentFor(key), genuineProof));
    assertThat(e.argument("enclaveKey").toString()).isEqualToIgnoringCase(key.address().toHex());
    assertThat(isActive(node2, key)).isFalse();

    register(node1, key.address(), documentFor(key), genuineProof);
    assertThat(isActive(node1, key)).isTrue();
  }

  @Test
  void aNodeCannotRegisterAnAddressWhoseKeyItDoesNotHold() throws Exception {
    Address someoneElse = stranger.address();
    // The best the node can do without the key: sign the binding with a key it does hold.
    byte[] ownSignature =
        new EnclaveKeyBinding(node1.address(), someoneElse)
            .sign(deployment.nodeRegistryDomain(), key(node1))
            .toArray();

    var e =
        assertReverts(
            "InvalidEnclaveKeyProof",
            () -> register(node1, someoneElse, documentFor(enclaveKey(1)), ownSignature));
    assertThat(e.argument("recovered").toString()).isEqualToIgnoringCase(node1.address().toHex());
  }

  @Test
  void aNodeCannotRegisterARandomAddressWithAnyoneElsesProof() throws Exception {
    Address random = enclaveKey(99).address();
    byte[] proofOfAnotherKey = keyProof(node1, enclaveKey(2));

    assertReverts(
        "InvalidEnclaveKeyProof",
        () -> register(node1, random, documentFor(enclaveKey(99)), proofOfAnotherKey));
  }

  @Test
  void aProofSignedForAnotherChainIdIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    byte[] otherChain =
        proofIn(Eip712Domain.of(1, deployment.nodeRegistry()), node1.address(), key);

    assertReverts(
        "InvalidEnclaveKeyProof",
        () -> register(node1, key.address(), documentFor(key), otherChain));
  }

  @Test
  void aProofSignedForAnotherRegistryIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    byte[] hubDomain = proofIn(deployment.domain(), node1.address(), key);
    byte[] otherRegistry =
        proofIn(
            Eip712Domain.of(deployment.chainId(), Address.fromHex("0x" + "ab".repeat(20))),
            node1.address(),
            key);

    assertReverts(
        "InvalidEnclaveKeyProof",
        () -> register(node1, key.address(), documentFor(key), hubDomain));
    assertReverts(
        "InvalidEnclaveKeyProof",
        () -> register(node1, key.address(), documentFor(key), otherRegistry));
  }

  @Test
  void aMalleableHighSProofIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    byte[] proof = keyProof(node1, key);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(proof, 32, 64));
    byte[] highS = proof.clone();
    System.arraycopy(Bytes32.fromUint(CURVE_ORDER.subtract(s)).toArray(), 0, highS, 32, 32);
    highS[64] = (byte) (proof[64] == 27 ? 28 : 27);

    assertReverts(
        "MalleableSignature", () -> register(node1, key.address(), documentFor(key), highS));
  }

  @Test
  void aMalformedProofIsRefused() throws Exception {
    Secp256k1.KeyPair key = enclaveKey(1);
    byte[] proof = keyProof(node1, key);
    byte[] badV = proof.clone();
    badV[64] = 1;

    assertReverts(
        "InvalidSignatureLength",
        () -> register(node1, key.address(), documentFor(key), Arrays.copyOf(proof, 64)));
    assertReverts(
        "InvalidSignatureV", () -> register(node1, key.address(), documentFor(key), badV));
  }
}
