/**
 * The {@code vouch} command line. Depends on sdk and node; nothing depends on it but bench.
 *
 * <p>{@link io.vouch.cli.VouchCommand} wires every command with the shared option converters
 * ({@link io.vouch.cli.CliConverters}: durations as {@code 5s}, {@code 500ms}, {@code 2m}) and the
 * one failure handler ({@link io.vouch.cli.Failure}, exit codes from {@link
 * io.vouch.cli.ExitCodes}): a message on stderr naming the problem, or a JSON object under {@code
 * --json}; never a stack trace. {@link io.vouch.cli.ResultFile} is the one result format of {@code
 * infer --json}, read by {@code verify}. Options that belong together are option groups ({@link
 * io.vouch.cli.options}), each turning into one configuration object; {@code node run} has node's
 * {@code NodeAssembly} build the node from them. See cli/README.md.
 */
package io.vouch.cli;
