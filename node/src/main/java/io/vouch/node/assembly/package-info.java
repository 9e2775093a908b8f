/**
 * How a node process is put together from its configuration: {@link
 * io.vouch.node.assembly.NodeSetup} holds what an operator chose (the node key, {@link
 * io.vouch.node.assembly.HttpConfig}, {@link io.vouch.node.assembly.ChainConfig}, {@link
 * io.vouch.node.assembly.ModelConfig}, a TEE profile) and {@link
 * io.vouch.node.assembly.NodeAssembly} builds the {@link io.vouch.node.NodeApp} and the models it
 * serves from it. The CLI's option groups turn flags into these records; the command never builds
 * node internals itself.
 */
package io.vouch.node.assembly;
