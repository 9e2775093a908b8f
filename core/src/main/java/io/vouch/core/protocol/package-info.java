/**
 * The node's HTTP protocol, written once for the node that serves it and the SDK that speaks it:
 * {@link io.vouch.core.protocol.NodeProtocol} (paths, media types, content negotiation), {@link
 * io.vouch.core.protocol.InferHeaders} (the {@code Vouch-*} headers of {@code POST /v1/infer}'s
 * binary form, both directions) and {@link io.vouch.core.protocol.PaymentTerms} (the body of a 402
 * answer). Decoding checks everything a peer may send, and fails with a {@link
 * io.vouch.core.protocol.ProtocolException} that names the header or field and what was wrong.
 *
 * <p>It lives in {@code core} because both {@code node} and {@code sdk} depend on core and neither
 * may depend on the other; it speaks in header maps and JSON trees, not in any HTTP library's
 * types.
 */
package io.vouch.core.protocol;
