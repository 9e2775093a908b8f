package io.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When {@code ./vouch} rebuilds the CLI: its decision function ({@code tools/vouch-needs-build.sh},
 * sourced by the launcher) run by bash on a folder of stand-in files laid out as the repository is,
 * their times set by the test. The files of the last build: sources before it started ({@code
 * .vouch-build.stamp}), jars written while it ran, {@code .vouch-build.done} when it finished.
 */
class LauncherBuildCheckTest {
  static final Instant SOURCES = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant BUILD_STARTED = SOURCES.plusSeconds(60);
  static final Instant JARS_WRITTEN = BUILD_STARTED.plusSeconds(30);
  static final Instant BUILD_DONE = BUILD_STARTED.plusSeconds(60);
  static final Instant LATER = BUILD_DONE.plusSeconds(600);

  @TempDir Path root;
  @TempDir Path m2;

  @BeforeEach
  void theLastBuild() throws IOException {
    file("pom.xml", SOURCES);
    file("core/src/main/java/io/vouch/core/A.java", SOURCES);
    file("core/src/test/java/io/vouch/core/ATest.java", SOURCES);
    file("core/target/vouch-core.jar", JARS_WRITTEN);
    file("node/target/vouch-node.jar", JARS_WRITTEN);
    Path library = Files.createDirectories(m2.resolve("lib")).resolve("library.jar");
    Files.writeString(library, "x");
    Files.setLastModifiedTime(library, FileTime.from(SOURCES.minusSeconds(86_400)));
    file("cli/target/vouch-cli.jar", JARS_WRITTEN);
    file(
        "cli/target/classpath.txt",
        JARS_WRITTEN,
        root.resolve("core/target/vouch-core.jar")
            + ":"
            + root.resolve("node/target/vouch-node.jar")
            + ":"
            + library);
    file("cli/target/.vouch-build.stamp", BUILD_STARTED);
    file("cli/target/.vouch-build.done", BUILD_DONE);
  }

  @Test
  void nothingChangedSinceTheLastBuildRunsTheCliAsItIs() throws Exception {
    assertThat(needsBuild()).isFalse();
  }

  @Test
  void aSourceEditedAfterTheBuildStartedRebuilds() throws Exception {
    touch("core/src/main/java/io/vouch/core/A.java", JARS_WRITTEN);

    assertThat(needsBuild()).isTrue();
  }

  @Test
  void testsAndTargetFoldersAreNotSourcesOfTheCli() throws Exception {
    touch("core/src/test/java/io/vouch/core/ATest.java", LATER);
    file("core/target/generated-sources/G.java", LATER);

    assertThat(needsBuild()).isFalse();
  }

  /** Another Maven run packaged a module: the CLI's jar may refer to a class that moved. */
  @Test
  void aJarOfTheClassPathWrittenAfterTheBuildRebuilds() throws Exception {
    touch("node/target/vouch-node.jar", LATER);

    assertThat(needsBuild()).isTrue();
  }

  @Test
  void theCliJarWrittenAfterTheBuildRebuilds() throws Exception {
    touch("cli/target/vouch-cli.jar", LATER);

    assertThat(needsBuild()).isTrue();
  }

  @Test
  void aClassPathFileWrittenAfterTheBuildRebuilds() throws Exception {
    touch("cli/target/classpath.txt", LATER);

    assertThat(needsBuild()).isTrue();
  }

  @Test
  void aMissingEntryOfTheClassPathRebuilds() throws Exception {
    Files.delete(root.resolve("core/target/vouch-core.jar"));

    assertThat(needsBuild()).isTrue();
  }

  /** A build of a launcher before the end mark (or one that failed) is not trusted. */
  @Test
  void withoutTheMarkOfAFinishedBuildItRebuilds() throws Exception {
    Files.delete(root.resolve("cli/target/.vouch-build.done"));

    assertThat(needsBuild()).isTrue();
  }

  @Test
  void withoutTheStampItRebuilds() throws Exception {
    Files.delete(root.resolve("cli/target/.vouch-build.stamp"));

    assertThat(needsBuild()).isTrue();
  }

  /** {@code vouch_needs_build ROOT} as the launcher calls it: true means build first. */
  boolean needsBuild() throws Exception {
    Path script = VouchProcess.repositoryRoot().resolve("tools/vouch-needs-build.sh");
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                ". \"$1\"; vouch_needs_build \"$2\"",
                "check",
                script.toString(),
                root.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bash finished").isTrue();
    assertThat(p.exitValue()).as(out).isIn(0, 1);
    return p.exitValue() == 0;
  }

  Path file(String relative, Instant time) throws IOException {
    return file(relative, time, "x");
  }

  Path file(String relative, Instant time, String content) throws IOException {
    Path f = root.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    Files.setLastModifiedTime(f, FileTime.from(time));
    return f;
  }

  void touch(String relative, Instant time) throws IOException {
    Files.setLastModifiedTime(root.resolve(relative), FileTime.from(time));
  }
}
