package io.vouch.node.assembly;

import io.vouch.core.VerificationLevel;
import io.vouch.hub.cid.Cid;
import io.vouch.node.ChainSettings;
import io.vouch.node.NodeApp;
import io.vouch.node.NodeConfig;
import io.vouch.node.inference.FaultyOutputs;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.OnnxModelRunner;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.onnx.EngineOptions;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.OnnxRuntimeEngine;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a node from its {@link NodeSetup}: the {@link NodeApp} (on chain, or direct-only with
 * receipt sequence numbers kept in memory) with its local models loaded on ONNX Runtime. The node
 * is not started.
 */
public final class NodeAssembly {
  private NodeAssembly() {}

  /**
   * The node of {@code setup}, its local models loaded; on chain its journal is opened (and
   * created), so a damaged one is refused here.
   *
   * @throws IllegalArgumentException or {@link IllegalStateException} when the setup cannot be used
   *     (a damaged journal); a local model that cannot be read or loaded throws as {@link
   *     #load(LocalModel, BigInteger)} does, after the node is stopped
   */
  public static NodeApp assemble(NodeSetup setup, Clock clock) {
    NodeConfig config = nodeConfig(setup);
    Optional<ChainSettings> chain = chainSettings(setup);
    NodeApp node =
        chain.isPresent()
            ? new NodeApp(config, clock, chain.get())
            : new NodeApp(config, clock, ReceiptSigner.SequenceStore.inMemory());
    setup.fault().ifPresent(f -> node.executor().lieOn(new FaultyOutputs(f.share())));
    try {
      for (LocalModel m : setup.models().local()) {
        node.load(load(m, setup.models().priceWei()));
      }
    } catch (RuntimeException e) {
      node.stop();
      throw e;
    }
    return node;
  }

  /** The node's identity, receipt domain, HTTP limits and price. */
  public static NodeConfig nodeConfig(NodeSetup setup) {
    HttpConfig http = setup.http();
    return new NodeConfig(
        http.host(),
        http.port(),
        setup.key(),
        setup.chain().chainId(),
        setup.chain().hub(),
        http.maxInputElements(),
        http.maxBodyBytes(),
        setup.models().priceWei());
  }

  /** How the node takes part on chain; empty for a direct-only node. */
  public static Optional<ChainSettings> chainSettings(NodeSetup setup) {
    if (!(setup.chain() instanceof ChainConfig.OnChain c)) {
      return Optional.empty();
    }
    ChainSettings settings =
        new ChainSettings(
            c.rpcUrl(),
            c.deployment(),
            c.stakeWei(),
            setup.models().hubs(),
            setup.models().served(),
            c.journal(),
            c.pollInterval(),
            c.advertisedEndpoint().orElse(null));
    settings =
        settings
            .withRoles(setup.roles())
            .withValidatorTrust(setup.validatorTrust())
            .withChallengeRate(setup.challengeRateBps());
    return Optional.of(setup.tee().map(settings::withTee).orElse(settings));
  }

  /**
   * A local ONNX file as a served model: VANILLA at {@code priceWei}, identified by its content id,
   * run on ONNX Runtime.
   */
  public static LoadedModel load(LocalModel model, BigInteger priceWei) {
    OnnxModelFile onnx = OnnxModelFile.read(model.file());
    return new LoadedModel(
        model.modelId(),
        model.name(),
        model.version(),
        Cid.ofBytes(onnx.bytes()).toString(),
        Set.of(VerificationLevel.VANILLA),
        priceWei,
        new OnnxModelRunner(OnnxRuntimeEngine.load(onnx, EngineOptions.DEFAULT)));
  }
}
