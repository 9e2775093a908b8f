package io.vouch.node;

import io.vouch.core.eip712.Eip712Domain;
import io.vouch.node.api.NodeHttpApi;
import io.vouch.node.inference.InferenceExecutor;
import io.vouch.node.inference.LoadedModel;
import io.vouch.node.inference.ModelCatalog;
import io.vouch.node.inference.ReceiptSigner;
import io.vouch.node.metrics.NodeMetrics;
import io.vouch.node.service.Service;
import io.vouch.node.service.ServiceController;
import java.time.Clock;
import java.util.List;

/** A node process's components, wired and started in order, stopped in reverse. */
public final class NodeApp extends Service {
  private final ModelCatalog catalog = new ModelCatalog();
  private final NodeMetrics metrics = new NodeMetrics();
  private final InferenceExecutor executor;
  private final NodeHttpApi api;
  private final ServiceController services;

  public NodeApp(NodeConfig config, Clock clock, long lastSequence) {
    ReceiptSigner signer =
        new ReceiptSigner(
            config.key(), Eip712Domain.of(config.chainId(), config.hub()), clock, lastSequence);
    this.executor = new InferenceExecutor(catalog, signer, config.maxInputElements());
    this.api =
        new NodeHttpApi(config.host(), config.port(), config.maxBodyBytes(), executor, metrics);
    this.services = new ServiceController(List.of(api));
  }

  public void load(LoadedModel model) {
    catalog.add(model);
  }

  public String baseUrl() {
    return api.baseUrl();
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public InferenceExecutor executor() {
    return executor;
  }

  @Override
  protected void doStart() throws Exception {
    services.start();
  }

  @Override
  protected void doStop() {
    services.stop();
    catalog.close();
  }
}
