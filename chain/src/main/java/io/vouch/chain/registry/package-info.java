/**
 * The NodeRegistry and the ModelRegistry in the project's types: {@link
 * io.vouch.chain.registry.NodeRegistryClient} (nodes' entries, eligibility, prices, enclave keys, a
 * node's registration and departure) and {@link io.vouch.chain.registry.ModelRegistryClient}
 * (models' terms, {@link io.vouch.chain.registry.ModelTerms}, and publishing), their errors
 * recognised by selector.
 */
package io.vouch.chain.registry;
