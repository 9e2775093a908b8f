package io.vouch.node.validator;

import io.vouch.core.Address;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.evidence.TeeTrust;
import io.vouch.tee.nitro.AwsNitroRoot;
import java.util.Optional;

/**
 * Whether a validator holds the roots its deployment accepts enclave attestations under, checked
 * when the validator role starts: the anchors are the deployment's (TEE.md), so a validator that
 * could not judge the keys its deployment accepts refuses to start instead of sitting on
 * KeyApproval committees it cannot decide.
 *
 * <ul>
 *   <li>A deployment that does not allow development attestation (production: the NodeRegistry's
 *       {@code developmentAttestationAllowed} is false) accepts the AWS Nitro root only: the
 *       validator needs it ({@code vouch node run --nitro-root PEM}); a development root it holds
 *       is not used there.
 *   <li>A deployment that allows development attestation (a devnet) accepts the development root:
 *       the validator needs it ({@code --tee-dev-root FILE}); without the AWS root it casts no vote
 *       on a document that chains to another root.
 * </ul>
 */
public final class ValidatorAnchors {
  private ValidatorAnchors() {}

  /**
   * @param developmentAttestationAllowed the NodeRegistry's immutable flag
   * @param trust the roots the validator was given
   * @param registry the NodeRegistry's address, for the message
   * @return a warning to log (a root given that this deployment does not use), if any
   * @throws VouchException (BAD_INPUT) when the validator lacks the root its deployment needs
   */
  public static Optional<String> check(
      boolean developmentAttestationAllowed, TeeTrust trust, Address registry) {
    if (!developmentAttestationAllowed) {
      if (trust.awsRoot().isEmpty()) {
        throw new VouchException(
            ErrorCode.BAD_INPUT,
            "this deployment (NodeRegistry "
                + registry
                + ") accepts enclave keys attested under the AWS Nitro root only, and this"
                + " validator was given no AWS Nitro root to judge them: give it with --nitro-root"
                + " PEM (or VOUCH_NITRO_ROOT, or nitro-root in the VOUCH_CONFIG_FILE), the AWS"
                + " Nitro Enclaves root G1 certificate whose SHA-256 is "
                + AwsNitroRoot.SHA256_PIN
                + " (https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip)");
      }
      return trust.developmentRoot().isPresent()
          ? Optional.of(
              "the development root given (--tee-dev-root) is not used: this deployment does not"
                  + " allow development attestation, its keys are judged under the AWS Nitro root")
          : Optional.empty();
    }
    if (trust.developmentRoot().isEmpty()) {
      throw new VouchException(
          ErrorCode.BAD_INPUT,
          "this deployment (NodeRegistry "
              + registry
              + ") allows development attestation, and this validator was given no development"
              + " root to judge enclave keys under it: give the devnet's root with --tee-dev-root"
              + " FILE (<devnet>/tee-dev-root.pem, written by `vouch devnet up`)");
    }
    return trust.awsRoot().isEmpty()
        ? Optional.of(
            "no AWS Nitro root given (--nitro-root): this validator casts no vote on enclave keys"
                + " attested under it")
        : Optional.empty();
  }
}
