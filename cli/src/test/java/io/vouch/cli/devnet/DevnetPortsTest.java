package io.vouch.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The devnet's nodes and validators get distinct ports, even when the system offers the same free
 * port twice in a row (it does: a port is free until the process it was handed to binds it).
 */
class DevnetPortsTest {
  @Test
  void aPortOfferedAgainIsPassedOver() throws IOException {
    Iterator<Integer> offered = List.of(36403, 36403, 40129, 36403, 40129, 41000).iterator();
    Set<Integer> given = new HashSet<>();
    int first = DevnetSupervisor.distinctPort(given, offered::next);
    int second = DevnetSupervisor.distinctPort(given, offered::next);
    int third = DevnetSupervisor.distinctPort(given, offered::next);
    assertThat(List.of(first, second, third)).containsExactly(36403, 40129, 41000);
  }

  @Test
  void aSystemThatOffersNothingNewIsReportedWithWhatToDo() {
    Set<Integer> given = new HashSet<>(Set.of(36403));
    assertThatThrownBy(() -> DevnetSupervisor.distinctPort(given, () -> 36403))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("handed out already")
        .hasMessageContaining("stop other devnets");
  }
}
