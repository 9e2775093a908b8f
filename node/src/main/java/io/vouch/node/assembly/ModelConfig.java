package io.vouch.node.assembly;

import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which models a node serves and what it charges for each request.
 *
 * @param local ONNX files served as given, on every path
 * @param hubs model hubs the registry's models are fetched from (on chain only)
 * @param served which registry models ({@code name@version}) to serve (on chain only)
 * @param priceWei price per request, advertised in the registry
 */
public record ModelConfig(
    List<LocalModel> local, List<URI> hubs, Predicate<String> served, BigInteger priceWei) {
  public ModelConfig {
    local = List.copyOf(local);
    hubs = List.copyOf(hubs);
    if (priceWei.signum() < 0) {
      throw new IllegalArgumentException("price must not be negative");
    }
  }
}
