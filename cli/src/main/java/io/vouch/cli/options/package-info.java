/**
 * Option groups, as Besu has them: each class is a picocli {@code @Mixin} holding the options of
 * one concern, and turns them into one configuration object of the project's types. A command mixes
 * the groups it needs in, converts, and acts; it does not read flags of a group itself.
 *
 * <ul>
 *   <li>{@link io.vouch.cli.options.ConnectionOptions}: a devnet folder or {@code --rpc}, {@code
 *       --deployment}, {@code --model-hub}, {@code --key} → sdk's {@code VouchConfig} (every
 *       command that talks to a network);
 *   <li>{@link io.vouch.cli.options.TeeTrustOptions}: how TEE results are checked → sdk's {@code
 *       TeeTrust} ({@code infer}, {@code verify});
 *   <li>{@link io.vouch.cli.options.RequirementsOptions}: the weakest level, the most paid, the
 *       latency → core's {@code Requirements}, what the planner works from ({@code infer});
 *   <li>{@link io.vouch.cli.options.JsonOutputOption}: the plain {@code --json} (results and errors
 *       as JSON) of the commands that say nothing more about it;
 *   <li>{@code vouch node run}'s groups, turned into the records of node's {@code assembly}
 *       package, from which {@code NodeAssembly} builds the node: {@link
 *       io.vouch.cli.options.NodeKeyOption} (the key pair), {@link
 *       io.vouch.cli.options.NodeHttpOptions} ({@code HttpConfig}), {@link
 *       io.vouch.cli.options.NodeChainOptions} ({@code ChainConfig}), {@link
 *       io.vouch.cli.options.NodeModelOptions} ({@code ModelConfig}), {@link
 *       io.vouch.cli.options.NodeTeeOptions} (the {@code TeeProfile}).
 * </ul>
 *
 * <p>Option names, descriptions and defaults are part of the CLI's interface: a value can also come
 * from {@code VOUCH_<OPTION>} or the {@code VOUCH_CONFIG_FILE} ({@link
 * io.vouch.cli.VouchDefaults}), keyed by the option's name.
 */
package io.vouch.cli.options;
