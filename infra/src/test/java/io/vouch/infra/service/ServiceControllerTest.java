package io.vouch.infra.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceControllerTest {
  private final List<String> events = new ArrayList<>();

  private final class Recorded extends Service {
    private final String id;
    private final boolean fails;

    Recorded(String id, boolean fails) {
      this.id = id;
      this.fails = fails;
    }

    @Override
    public String name() {
      return id;
    }

    @Override
    protected void doStart() throws Exception {
      if (fails) {
        throw new java.io.IOException(id + " cannot bind");
      }
      events.add("start " + id);
    }

    @Override
    protected void doStop() {
      events.add("stop " + id);
    }
  }

  @Test
  void aSecondStartIsAnErrorThatNamesTheService() throws Exception {
    Recorded a = new Recorded("api", false);
    a.start();
    IllegalStateException e = assertThrows(IllegalStateException.class, a::start);
    assertTrue(e.getMessage().contains("api cannot start: it is running"), e.getMessage());
    assertEquals(List.of("start api"), events);
  }

  @Test
  void aStoppedServiceCannotStartAgain() throws Exception {
    Recorded a = new Recorded("api", false);
    a.start();
    a.stop();
    IllegalStateException e = assertThrows(IllegalStateException.class, a::start);
    assertTrue(e.getMessage().contains("it is stopped"), e.getMessage());
    assertEquals(List.of("start api", "stop api"), events);
  }

  @Test
  void stopIsIdempotentAndAnIdleServiceStopsWithoutDoStop() throws Exception {
    Recorded idle = new Recorded("idle", false);
    idle.stop();
    assertEquals(Service.State.STOPPED, idle.state());
    Recorded a = new Recorded("a", false);
    a.start();
    a.stop();
    a.close();
    assertEquals(List.of("start a", "stop a"), events);
  }

  @Test
  void servicesStartInOrderAndStopInReverse() throws Exception {
    ServiceController c =
        new ServiceController(
            List.of(new Recorded("a", false), new Recorded("b", false), new Recorded("c", false)));
    c.start();
    c.stop();
    assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), events);
  }

  @Test
  void aFailedStartStopsWhatHadStartedAndRethrows() {
    Recorded b = new Recorded("b", true);
    ServiceController c =
        new ServiceController(List.of(new Recorded("a", false), b, new Recorded("c", false)));
    Exception e = assertThrows(java.io.IOException.class, c::start);
    assertEquals("b cannot bind", e.getMessage());
    assertEquals(List.of("start a", "stop a"), events);
    assertSame(Service.State.STOPPED, b.state());
    assertSame(Service.State.STOPPED, c.state());
  }

  @Test
  void aServiceStartedOutsideItsControllerMakesTheControllerFail() throws Exception {
    Recorded a = new Recorded("a", false);
    Recorded b = new Recorded("b", false);
    ServiceController c = new ServiceController(List.of(a, b));
    b.start();
    IllegalStateException e = assertThrows(IllegalStateException.class, c::start);
    assertTrue(e.getMessage().startsWith("b cannot start"), e.getMessage());
    assertEquals(List.of("start b", "start a", "stop a"), events);
  }
}
