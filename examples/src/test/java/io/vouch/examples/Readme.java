package io.vouch.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** The repository's README.md, and the shell blocks in it that tests run as written. */
final class Readme {
  private final List<String> lines;

  private Readme(List<String> lines) {
    this.lines = lines;
  }

  static Readme read() throws IOException {
    return new Readme(Files.readAllLines(Shell.repositoryRoot().resolve("README.md")));
  }

  /**
   * The first fenced block without a language (a shell session) after the heading that starts with
   * {@code heading}, its lines as written.
   */
  String block(String heading) {
    int i = 0;
    while (i < lines.size() && !lines.get(i).startsWith(heading)) {
      i++;
    }
    if (i == lines.size()) {
      throw new AssertionError("README.md has no heading " + heading);
    }
    for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
      if (lines.get(i).startsWith("```")) { // a block in a language (xml): skip it whole
        for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {}
      }
    }
    StringBuilder block = new StringBuilder();
    for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
      block.append(lines.get(i)).append('\n');
    }
    if (i == lines.size()) {
      throw new AssertionError("the block after " + heading + " in README.md is not closed");
    }
    return block.toString();
  }
}
