package io.vouch.zk.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ChunksTest {
  @Test
  void everyChunkRunsExactlyOnceWhenAForkedTaskAndTheCallerShareThem() {
    for (int round = 0; round < 500; round++) {
      int count = 1 + round % 40;
      AtomicIntegerArray runs = new AtomicIntegerArray(count);
      long[][] perParticipant = new long[2][count];
      Chunks chunks =
          new Chunks(
              count,
              (chunk, participant) -> {
                runs.incrementAndGet(chunk);
                perParticipant[participant][chunk] = chunk + 1L;
              });
      Parallel.Forked<Boolean> forked =
          Parallel.fork(() -> {
            chunks.finish(0);
            return true;
          });
      chunks.help(1);
      assertThat(forked.join()).isTrue();
      for (int c = 0; c < count; c++) {
        assertThat(runs.get(c)).as("runs of chunk %d", c).isEqualTo(1);
        // each chunk's write is visible after finish, whichever participant made it
        assertThat(perParticipant[0][c] + perParticipant[1][c]).isEqualTo(c + 1L);
      }
    }
  }

  @Test
  void finishWithoutAnyHelpRunsEverything() {
    int[] ran = new int[7];
    Chunks chunks = new Chunks(ran.length, (chunk, participant) -> ran[chunk] += 1 + participant);
    chunks.finish(0);
    assertThat(ran).containsOnly(1);
    chunks.finish(1); // nothing left: returns at once
    assertThat(ran).containsOnly(1);
  }

  @Test
  void aFailedChunkIsReportedAndDoesNotLeaveTheOtherParticipantWaiting() {
    Chunks chunks =
        new Chunks(
            5,
            (chunk, participant) -> {
              if (chunk == 2) {
                throw new IllegalStateException("chunk 2 failed");
              }
            });
    assertThatThrownBy(() -> chunks.help(1)).hasMessage("chunk 2 failed");
    assertThatThrownBy(() -> chunks.finish(0)).hasMessage("chunk 2 failed");
  }

  @Test
  void participantsAreZeroAndOne() {
    Chunks chunks = new Chunks(1, (chunk, participant) -> {});
    assertThatThrownBy(() -> chunks.help(2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Chunks(-1, (chunk, participant) -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
