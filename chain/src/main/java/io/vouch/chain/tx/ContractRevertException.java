package io.vouch.chain.tx;

import io.vouch.chain.ChainException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A contract refused a call or transaction. Carries the decoded custom error (name and named
 * arguments, e.g. {@code FeeTooLow(required=1000, offered=10)}), {@code Error(string)} reasons,
 * {@code Panic(uint256)} codes, or the raw revert data when the error is not in the known ABIs.
 */
public final class ContractRevertException extends ChainException {
  private final DecodedRevert revert;
  private final Optional<String> transactionHash;

  public ContractRevertException(
      DecodedRevert revert, String target, Optional<String> transactionHash, String context) {
    super(message(revert, target, transactionHash, context));
    this.revert = revert;
    this.transactionHash = transactionHash;
  }

  private static String message(
      DecodedRevert r, String target, Optional<String> tx, String context) {
    StringBuilder b = new StringBuilder();
    b.append(target).append(" reverted with ").append(r);
    tx.ifPresent(h -> b.append(" in transaction ").append(h));
    if (!context.isEmpty()) {
      b.append(" (").append(context).append(')');
    }
    return b.toString();
  }

  /** The custom error's name, {@code Error}, {@code Panic}, or {@code unknown}. */
  public String errorName() {
    return revert.name();
  }

  public DecodedRevert revert() {
    return revert;
  }

  /** The value of the named error argument (BigInteger, Address, Bytes32, String or Boolean). */
  public Object argument(String name) {
    return revert.argument(name);
  }

  public Optional<String> transactionHash() {
    return transactionHash;
  }

  /**
   * The 4-byte selector the revert data starts with ({@code 0x}-prefixed, lower case), or empty
   * when the revert carried no data: what {@link ContractError#matches} compares.
   */
  public String selector() {
    String data = revert.rawData() == null ? "" : revert.rawData().toLowerCase(Locale.ROOT);
    if (data.startsWith("0x")) {
      data = data.substring(2);
    }
    return data.length() < 8 ? "" : "0x" + data.substring(0, 8);
  }

  /** A revert decoded against the contracts' ABIs. */
  public record DecodedRevert(String name, List<Argument> arguments, String rawData) {
    public Object argument(String argName) {
      return arguments.stream()
          .filter(a -> a.name().equals(argName))
          .findFirst()
          .orElseThrow(() ->
              new IllegalArgumentException(
                  name + " has no argument '" + argName + "'; it has " + arguments))
          .value();
    }

    @Override
    public String toString() {
      if (name.equals("unknown")) {
        return rawData.isEmpty() || rawData.equals("0x")
            ? "no revert data (out of gas, a failed require without message, or a call to a"
                + " non-contract)"
            : "unknown error data " + rawData;
      }
      return name
          + arguments.stream().map(Argument::toString).collect(Collectors.joining(", ", "(", ")"));
    }
  }

  public record Argument(String name, String type, Object value) {
    @Override
    public String toString() {
      return name.isEmpty() ? String.valueOf(value) : name + "=" + value;
    }
  }
}
