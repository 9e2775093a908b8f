package io.vouch.infra.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that the bodies being received on all connections together may hold (item 4: one cap
 * for the whole server, not per connection). A body reserves its buffer's capacity as the buffer
 * grows and gives it back when its request is done or its connection closes.
 */
final class BodyBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  long capacity() {
    return capacity;
  }

  long used() {
    return used.get();
  }

  long available() {
    return capacity - used.get();
  }

  /** Takes {@code bytes} if that many are left; false (taking nothing) otherwise. */
  boolean tryTake(long bytes) {
    while (true) {
      long u = used.get();
      if (u + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(u, u + bytes)) {
        return true;
      }
    }
  }

  void giveBack(long bytes) {
    used.addAndGet(-bytes);
  }
}
