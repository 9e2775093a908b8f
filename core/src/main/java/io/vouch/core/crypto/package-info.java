/** keccak256 and secp256k1 in the EVM's conventions: the one signer of the project. */
package io.vouch.core.crypto;
