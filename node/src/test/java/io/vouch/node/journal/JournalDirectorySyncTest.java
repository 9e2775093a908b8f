package io.vouch.node.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 9's last step: the name of a new journal must survive a power loss, so creating it
 * fsyncs its directory and every directory created for it. What that buys shows only after a power
 * cut (a file whose lines were forced but whose directory entry never reached the disk); what the
 * node asks of the kernel shows in its system calls. So a child JVM creates a journal under {@code
 * strace}, and the trace must hold an {@code fsync} of each of those directories. Skipped where
 * strace cannot trace a child (not installed, ptrace refused, not Linux).
 */
class JournalDirectorySyncTest {
  @TempDir Path dir;

  /** Creates the journal at {@code args[0]} and closes it: the traced child. */
  public static final class CreateJournal {
    public static void main(String[] args) {
      try (Journal j = Journal.open(Path.of(args[0]))) {
        j.append(new JournalEntry.Checkpoint(1));
      }
    }
  }

  @Test
  void creatingAJournalFsyncsItsDirectoryAndEveryDirectoryCreatedForIt() throws Exception {
    assumeTrue(straceCanTrace(), "strace cannot trace a child process here");
    Path root = dir.toRealPath();
    Path journal = root.resolve("new/deeper/journal.jsonl"); // "new" and "deeper" do not exist
    Path trace = root.resolve("trace.txt");

    Process child =
        new ProcessBuilder(
                "strace",
                "-f",
                "-qq",
                "-y", // file descriptors shown with their paths
                "-e",
                "trace=fsync",
                "-o",
                trace.toString(),
                javaBinary(),
                "-cp",
                System.getProperty("java.class.path"),
                CreateJournal.class.getName(),
                journal.toString())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("child.log").toFile())
            .start();
    assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the traced child finished").isTrue();
    assertThat(child.exitValue())
        .as("the child's exit status; its output: %s", Files.readString(root.resolve("child.log")))
        .isZero();

    assertThat(fsynced(Files.readAllLines(trace)))
        .as("directories fsynced while creating %s", journal)
        .contains(
            root.toString(), // it gained the name "new"
            root.resolve("new").toString(),
            root.resolve("new/deeper").toString());
  }

  private static final Pattern FSYNC = Pattern.compile("fsync\\(\\d+<([^>]*)>\\)\\s*=\\s*0");

  /** The paths of the successful fsync calls in an {@code strace -y} trace. */
  private static Set<String> fsynced(List<String> trace) {
    return trace.stream()
        .map(FSYNC::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .collect(Collectors.toSet());
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static boolean straceCanTrace() {
    try {
      Process p =
          new ProcessBuilder("strace", "-qq", "-e", "trace=none", "-o", "/dev/null", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
