/**
 * The SDK's view of one Vouch deployment: the contract wrappers for reading (with or without a key)
 * and for sending (only with a key), and the translation of failed chain calls into {@code
 * VouchClientException}s that say what to do.
 */
package io.vouch.sdk.chain;
