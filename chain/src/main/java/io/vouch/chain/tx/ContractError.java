package io.vouch.chain.tx;

import io.vouch.core.Hex;
import io.vouch.core.crypto.Keccak;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A custom error of one contract, known by its Solidity signature ({@code
 * ChallengeWindowOpen(uint256,uint64)}): a revert is recognised by the selector its data starts
 * with, the first four bytes of the signature's keccak256, not by the name a decoder gave it. The
 * typed clients keep one enum of these per contract ({@code HubError}, {@code NodeRegistryError},
 * {@code ModelRegistryError}); a test checks each against the contract's ABI.
 */
public interface ContractError {
  /** The error's canonical signature: name and argument types, no spaces. */
  String signature();

  /** {@code 0x} + the first 4 bytes of {@code keccak256(signature())}, lower case. */
  default String selector() {
    return selectorOf(signature());
  }

  /** Whether {@code e}'s revert data is this error. */
  default boolean matches(ContractRevertException e) {
    return selector().equals(e.selector());
  }

  /** The selector of an error or function signature. */
  static String selectorOf(String signature) {
    return Hex.prefixed(Arrays.copyOf(Keccak.hash(signature).toArray(), 4));
  }

  /**
   * The member of {@code errors} (one contract's enum) that {@code e} is, by selector; empty for an
   * error of another contract, {@code Error(string)}, {@code Panic} or a revert without data.
   */
  static <E extends Enum<E> & ContractError> Optional<E> of(
      Class<E> errors, ContractRevertException e) {
    return Optional.ofNullable(Index.of(errors).get(e.selector()));
  }

  /** Selector → error, built once per enum. */
  final class Index {
    private static final ClassValue<Map<String, ?>> BY_SELECTOR =
        new ClassValue<>() {
          @Override
          protected Map<String, ?> computeValue(Class<?> type) {
            return Arrays.stream(type.getEnumConstants())
                .collect(
                    Collectors.toUnmodifiableMap(
                        c -> ((ContractError) c).selector(), Function.identity()));
          }
        };

    private Index() {}

    @SuppressWarnings("unchecked")
    static <E> Map<String, E> of(Class<E> errors) {
      return (Map<String, E>) BY_SELECTOR.get(errors);
    }
  }
}
