package io.vouch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code vouch ARGS} as a user does: a new JVM (the launcher's flags, this build's class path)
 * in a working folder of the test's, with its stdout and stderr captured whole. What the user would
 * see — a stack trace printed by the JVM, a library's log line — is in {@link Run}.
 */
public final class VouchProcess {
  /** One finished call: the exit code and everything printed. */
  public record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private final Path workDir;

  /** Calls run in {@code workDir}, where {@code .vouch/devnet} is the default devnet. */
  public VouchProcess(Path workDir) {
    this.workDir = workDir;
  }

  /** The repository root (where {@code mvnw} is), found from the test's working folder. */
  public static Path repositoryRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("mvnw")) && Files.exists(d.resolve("vouch"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  public Run run(String... args) {
    return run(List.of(), args);
  }

  /**
   * The JVM options {@code ./vouch ARGS} starts with ({@code tools/vouch-jvm-options.sh}, which the
   * launcher sources): the JIT it chooses for the command.
   */
  public static List<String> launcherJvmOptions(String... args) {
    return launcherJvmOptions(Map.of(), args);
  }

  /**
   * {@link #launcherJvmOptions(String...)} with {@code VOUCH_*} variables set as in {@code env}.
   */
  public static List<String> launcherJvmOptions(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", "tools/vouch-jvm-options.sh"));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(repositoryRoot().toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("VOUCH_"));
      pb.environment().putAll(env);
      Process p = pb.redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("tools/vouch-jvm-options.sh failed: " + out);
      }
      return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run tools/vouch-jvm-options.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@link #run(String...)} with JVM options such as {@code -Xmx256m} (a user's JAVA_OPTS). */
  public Run run(List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow"); // as ./vouch does
    }
    cmd.addAll(launcherJvmOptions(args)); // then the user's, as ./vouch puts JAVA_OPTS after
    cmd.addAll(jvmOptions);
    cmd.add("-Dvouch.root=" + repositoryRoot());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(VouchCommand.class.getName());
    cmd.addAll(List.of(args));
    try {
      Files.createDirectories(workDir);
      Path out = Files.createTempFile(workDir, "vouch-", ".out");
      Path err = Files.createTempFile(workDir, "vouch-", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("VOUCH_"));
      // The CLI's cache (model signatures by CID) stays in the test's folder, not in ~/.cache.
      pb.environment().put("XDG_CACHE_HOME", workDir.resolve(".cache").toString());
      Process p = pb.start();
      // A guard against a hung process, not a timing assertion.
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("vouch " + String.join(" ", args) + " did not finish");
      }
      Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run vouch " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
