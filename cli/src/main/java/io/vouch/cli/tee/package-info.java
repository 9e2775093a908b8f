/**
 * {@code vouch tee …} subcommands: checking TEE attestation documents from the command line. The
 * verification itself lives in the {@code tee} module; these classes only turn flags into a trust
 * profile and a policy and print the result.
 */
package io.vouch.cli.tee;
