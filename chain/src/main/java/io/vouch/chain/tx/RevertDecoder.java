package io.vouch.chain.tx;

import com.fasterxml.jackson.databind.JsonNode;
import io.vouch.chain.ContractArtifacts;
import io.vouch.chain.tx.ContractRevertException.Argument;
import io.vouch.chain.tx.ContractRevertException.DecodedRevert;
import io.vouch.core.Address;
import io.vouch.core.Bytes32;
import io.vouch.core.Hex;
import io.vouch.core.crypto.Keccak;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;

/**
 * Turns revert data into a {@link DecodedRevert}: the 4-byte selector names a custom error of one
 * of the known ABIs (by default every contract of {@code contracts/src}), whose arguments are then
 * ABI-decoded; {@code Error(string)} and {@code Panic(uint256)} are built in.
 */
public final class RevertDecoder {
  private static final String ERROR_SELECTOR = "08c379a0";
  private static final String PANIC_SELECTOR = "4e487b71";

  private record ErrorDef(String name, List<String> names, List<String> types) {}

  private final Map<String, ErrorDef> bySelector = new HashMap<>();

  private RevertDecoder() {
    bySelector.put(ERROR_SELECTOR, new ErrorDef("Error", List.of("reason"), List.of("string")));
    bySelector.put(PANIC_SELECTOR, new ErrorDef("Panic", List.of("code"), List.of("uint256")));
  }

  /** A decoder for the errors of every Vouch contract. */
  public static RevertDecoder forVouchContracts() {
    RevertDecoder d = new RevertDecoder();
    for (String name : ContractArtifacts.NAMES) {
      d.add(ContractArtifacts.abi(name));
    }
    return d;
  }

  /** Also knows the errors declared in {@code abi} (a JSON ABI array). */
  public RevertDecoder add(JsonNode abi) {
    for (JsonNode entry : abi) {
      if (!"error".equals(entry.path("type").asText())) {
        continue;
      }
      List<String> names = new ArrayList<>();
      List<String> types = new ArrayList<>();
      for (JsonNode in : entry.path("inputs")) {
        names.add(in.path("name").asText());
        types.add(in.path("type").asText());
      }
      String signature = entry.get("name").asText() + "(" + String.join(",", types) + ")";
      String selector = Hex.encode(Keccak.hash(signature).toArray()).substring(0, 8);
      bySelector.putIfAbsent(
          selector.toLowerCase(Locale.ROOT),
          new ErrorDef(entry.get("name").asText(), names, types));
    }
    return this;
  }

  /** Decodes {@code 0x}-prefixed revert data; unknown selectors give the name {@code unknown}. */
  public DecodedRevert decode(String revertData) {
    String data = revertData == null ? "" : revertData.toLowerCase(Locale.ROOT);
    if (data.startsWith("0x")) {
      data = data.substring(2);
    }
    if (data.length() < 8) {
      return new DecodedRevert("unknown", List.of(), "0x" + data);
    }
    ErrorDef def = bySelector.get(data.substring(0, 8));
    if (def == null) {
      return new DecodedRevert("unknown", List.of(), "0x" + data);
    }
    List<TypeReference<Type>> refs = new ArrayList<>();
    try {
      for (String t : def.types()) {
        refs.add(TypeReference.makeTypeReference(t));
      }
      @SuppressWarnings("rawtypes")
      List<Type> values = FunctionReturnDecoder.decode("0x" + data.substring(8), refs);
      List<Argument> args = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        args.add(new Argument(def.names().get(i), def.types().get(i), toJava(values.get(i))));
      }
      return new DecodedRevert(def.name(), args, "0x" + data);
    } catch (RuntimeException | ClassNotFoundException e) {
      return new DecodedRevert(def.name() + "(undecodable arguments)", List.of(), "0x" + data);
    }
  }

  private static Object toJava(Type<?> value) {
    Object v = value.getValue();
    if (value instanceof org.web3j.abi.datatypes.Address a) {
      return Address.fromHex(a.getValue());
    }
    if (value instanceof org.web3j.abi.datatypes.generated.Bytes32 b) {
      return Bytes32.wrap(b.getValue());
    }
    return v;
  }
}
