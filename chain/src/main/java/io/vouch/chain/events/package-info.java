/** The InferenceHub's events as typed records, read by polling {@code eth_getLogs}. */
package io.vouch.chain.events;
