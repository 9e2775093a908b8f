package io.vouch.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs what a user types, as processes, in a working folder of the test's: shell scripts through
 * {@code bash -e} with {@code ./vouch} in that folder (a stand-in for the repository's launcher
 * that starts this build's CLI: the launcher itself would build the CLI, which a test inside the
 * build must not do), and Java programs on this build's class path.
 */
final class Shell {
  /** One finished process: its exit code and everything it printed. */
  record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private final Path work;

  Shell(Path work) throws IOException {
    this.work = work;
    Files.createDirectories(work);
    Path vouch = work.resolve("vouch");
    Files.writeString(
        vouch,
        "#!/usr/bin/env bash\n"
            + "# This build's vouch command (the repository's ./vouch would build it first),\n"
            + "# with the JIT the launcher chooses for the command.\n"
            + ". "
            + quoted(repositoryRoot().resolve("tools/vouch-jvm-options.sh").toString())
            + "\n# shellcheck disable=SC2046\nexec "
            + String.join(" ", javaCommand().stream().map(Shell::quoted).toList())
            + " $(vouch_jvm_options \"$@\") io.vouch.cli.VouchCommand \"$@\"\n");
    vouch.toFile().setExecutable(true);
  }

  Path work() {
    return work;
  }

  /** The repository root (where {@code mvnw} is), found from the test's working folder. */
  static Path repositoryRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("mvnw")) && Files.exists(d.resolve("vouch"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  /** {@code java} with the launcher's flags and this build's class path. */
  static List<String> javaCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow"); // as ./vouch does
    }
    cmd.add("-Dvouch.root=" + repositoryRoot());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    return cmd;
  }

  /** Runs {@code script} with {@code bash -e} in the working folder. */
  Run bash(String script) {
    try {
      Path file = Files.createTempFile(work, "script-", ".sh");
      Files.writeString(file, script);
      return run(List.of("bash", "-e", file.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code mainClass} with {@code args} on this build's class path. */
  Run java(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  Run run(List<String> cmd) {
    try {
      Path out = Files.createTempFile(work, "run-", ".out");
      Path err = Files.createTempFile(work, "run-", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(work.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("VOUCH_"));
      Process p = pb.start();
      // A guard against a hung process, not a timing assertion.
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " did not finish");
      }
      Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Whether {@code program} is on the PATH. */
  static boolean installed(String program) {
    try {
      Process p = new ProcessBuilder("sh", "-c", "command -v " + program).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String quoted(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
