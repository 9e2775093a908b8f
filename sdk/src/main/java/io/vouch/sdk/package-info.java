/**
 * The Java SDK. {@link io.vouch.sdk.VouchClient} (made by {@code VouchClient.connect(VouchConfig)})
 * is the entry point; its parts live in sub-packages: {@code models} (push, list, show), {@code
 * registry} (candidates, node standing), {@code plan} (level and ranking), {@code direct} (node
 * HTTP path with fallback), {@code verify} (local checks), {@code payment} (deposit and vouchers),
 * {@code onchain} (hub requests and results), {@code chain} (the deployment's contracts). Every
 * exception the SDK throws is in this package: {@link io.vouch.sdk.VouchClientException} and its
 * subclasses.
 *
 * <p>Depends on core, chain, hub, zk and tee; never on node, onnx or cli (the tests use a real
 * node, in test scope only).
 */
package io.vouch.sdk;
