package io.vouch.cli.options;

import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Secp256k1;
import picocli.CommandLine.Option;

/** {@code --key} of {@code vouch node run}: the node's own staked key, always given. */
public final class NodeKeyOption {
  @Option(
      names = "--key",
      required = true,
      description = "The node's staked secp256k1 private key (0x + 64 hex digits).")
  String key;

  /**
   * The node's key pair.
   *
   * @throws IllegalArgumentException when {@code --key} is not 0x and 64 hex digits
   */
  public Secp256k1.KeyPair toKeyPair() {
    if (!ConnectionOptions.PRIVATE_KEY.matcher(key.strip()).matches()) {
      throw new IllegalArgumentException(
          "--key must be the node's secp256k1 private key, 0x and 64 hex digits");
    }
    return Secp256k1.KeyPair.fromPrivateKey(Bytes32.fromHex(key.strip()));
  }
}
