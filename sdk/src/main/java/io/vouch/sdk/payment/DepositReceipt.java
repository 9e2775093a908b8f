package io.vouch.sdk.payment;

import java.math.BigInteger;

/** A deposit that was mined: its transaction and the payer's balance in the hub afterwards. */
public record DepositReceipt(String transactionHash, BigInteger balanceWei) {}
