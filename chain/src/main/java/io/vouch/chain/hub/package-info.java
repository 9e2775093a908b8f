/**
 * The InferenceHub in the project's types ({@link io.vouch.chain.hub.InferenceHubClient}): requests
 * read as {@link io.vouch.chain.hub.HubRequest} with a {@link io.vouch.chain.hub.RequestStatus},
 * results submitted as signed receipts over named tensors, channels, vouchers and receipt batches;
 * the keeper's moves in one place ({@link io.vouch.chain.hub.Keeper}, outcomes {@link
 * io.vouch.chain.hub.KeeperMove}); the hub's errors recognised by selector ({@link
 * io.vouch.chain.hub.HubError}).
 */
package io.vouch.chain.hub;
