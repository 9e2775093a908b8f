package io.vouch.sdk;

import io.vouch.chain.VouchDeployment;
import io.vouch.core.Bytes32;
import io.vouch.core.crypto.Secp256k1;
import io.vouch.evidence.TeeTrust;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link VouchClient} connects to.
 *
 * @param rpcUrl JSON-RPC endpoint of the chain the deployment lives on
 * @param deployment where the Vouch contracts are ({@link VouchDeployment#readFrom} reads what
 *     {@code vouch devnet up} wrote)
 * @param hubUrls model hubs; pushes go to the first, reads fall back along the list. May be empty
 *     for a client that never pushes
 * @param key the account that pays (deposits, vouchers, on-chain requests) and publishes models;
 *     empty for a read-only client (list, show, direct inference without payment, verify)
 * @param timeouts see {@link Timeouts}
 * @param teeTrust how TEE results are checked: by default {@link TeeTrust#attested()}, which also
 *     fetches and verifies each result's attestation document, but has no trust anchor until one is
 *     configured ({@link #withTeeTrust}), so TEE results are refused until then; {@link
 *     TeeTrust#chainOnly()} is the explicit opt-out (enclave signature and on-chain key status)
 */
public record VouchConfig(
    URI rpcUrl,
    VouchDeployment deployment,
    List<URI> hubUrls,
    Optional<Secp256k1.KeyPair> key,
    Timeouts timeouts,
    TeeTrust teeTrust) {

  public VouchConfig {
    hubUrls = List.copyOf(hubUrls);
    if (teeTrust == null) {
      teeTrust = TeeTrust.attested();
    }
  }

  /**
   * A configuration with the default TEE trust, {@link TeeTrust#attested()} without anchors: TEE
   * results are refused until {@link #withTeeTrust} configures a root.
   */
  public VouchConfig(
      URI rpcUrl,
      VouchDeployment deployment,
      List<URI> hubUrls,
      Optional<Secp256k1.KeyPair> key,
      Timeouts timeouts) {
    this(rpcUrl, deployment, hubUrls, key, timeouts, TeeTrust.attested());
  }

  /**
   * How TEE results are checked: {@code TeeTrust.attested().withAwsRoot(pem)} (production), {@code
   * TeeTrust.attested().withDevelopmentRoot(pem)} (a devnet; trusted only where the deployment
   * allows development attestation), or {@link TeeTrust#chainOnly()} (no document check).
   */
  public VouchConfig withTeeTrust(TeeTrust trust) {
    return new VouchConfig(rpcUrl, deployment, hubUrls, key, timeouts, trust);
  }

  /**
   * @param nodeConnect TCP connect timeout towards nodes (the per-request budget is {@code
   *     Requirements.maxLatency})
   * @param eventPoll how often the on-chain path polls the hub's events
   * @param registryCache how long registry answers (candidates, node standing) are reused; zero
   *     reads the chain every time
   */
  public record Timeouts(Duration nodeConnect, Duration eventPoll, Duration registryCache) {
    public static Timeouts defaults() {
      return new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10));
    }
  }

  /** A read-only client of {@code deployment} over {@code rpcUrl}, no hub, default timeouts. */
  public static VouchConfig of(String rpcUrl, VouchDeployment deployment) {
    return new VouchConfig(
        URI.create(rpcUrl), deployment, List.of(), Optional.empty(), Timeouts.defaults());
  }

  /** Like {@link #of} with the deployment read from its JSON file. */
  public static VouchConfig of(String rpcUrl, Path deploymentJson) {
    return of(rpcUrl, VouchDeployment.readFrom(deploymentJson));
  }

  public VouchConfig withHubs(URI... hubs) {
    return new VouchConfig(rpcUrl, deployment, List.of(hubs), key, timeouts, teeTrust);
  }

  public VouchConfig withKey(Secp256k1.KeyPair k) {
    return new VouchConfig(rpcUrl, deployment, hubUrls, Optional.of(k), timeouts, teeTrust);
  }

  public VouchConfig withKey(Bytes32 privateKey) {
    return withKey(Secp256k1.KeyPair.fromPrivateKey(privateKey));
  }

  public VouchConfig withTimeouts(Timeouts t) {
    return new VouchConfig(rpcUrl, deployment, hubUrls, key, t, teeTrust);
  }

  /** Names the key by its address only. */
  @Override
  public String toString() {
    return "VouchConfig[rpcUrl="
        + rpcUrl
        + ", deployment="
        + deployment
        + ", hubUrls="
        + hubUrls
        + ", key="
        + key.map(k -> k.address().toString()).orElse("none")
        + ", timeouts="
        + timeouts
        + ", teeTrust="
        + teeTrust.describe()
        + "]";
  }
}
