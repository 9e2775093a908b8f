package io.vouch.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's memory and threads from {@code /proc/<pid>/status} (Linux): resident set ({@code
 * VmRSS}), its peak so far ({@code VmHWM}), in kB, and the number of threads.
 */
record ProcessMemory(long rssKb, long hwmKb, int threads) {
  /** The figures of process {@code pid}, or empty when it is gone. */
  static Optional<ProcessMemory> of(long pid) {
    try {
      return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "status"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static ProcessMemory parse(String status) {
    long rss = -1;
    long hwm = -1;
    int threads = -1;
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        rss = kilobytes(line);
      } else if (line.startsWith("VmHWM:")) {
        hwm = kilobytes(line);
      } else if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.substring("Threads:".length()).strip());
      }
    }
    if (rss < 0 || hwm < 0) {
      throw new IllegalArgumentException("no VmRSS/VmHWM lines (a zombie process?)");
    }
    return new ProcessMemory(rss, hwm, threads);
  }

  private static long kilobytes(String line) {
    String v = line.substring(line.indexOf(':') + 1).strip();
    return Long.parseLong(v.substring(0, v.indexOf(' ')));
  }
}
