package io.vouch.sdk.onchain;

import java.util.Optional;

/**
 * What a keeper move did to an on-chain request ({@code VouchClient.settle(id)}).
 *
 * @param action {@code finalized} (a submitted result after its challenge window: node and model
 *     owner paid, the rest refunded), {@code reassigned} (the deadline passed and another eligible
 *     node got the request, with a new deadline), {@code refunded} (the deadline passed and no node
 *     or attempt was left: the whole fee went back), or {@code none} (already settled)
 * @param transactionHash the transaction, absent for {@code none}
 * @param after the request as it stands afterwards
 */
public record Settled(String action, Optional<String> transactionHash, RequestRecord after) {}
