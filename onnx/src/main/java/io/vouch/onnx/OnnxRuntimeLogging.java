package io.vouch.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;

/**
 * How loud ONNX Runtime's own logger is in this process. ONNX Runtime writes its warnings straight
 * to stderr from native code, in ANSI colours ({@code [W:onnxruntime:, graph.cc:…] Removing
 * initializer …}): advice for the model's author, noise in a command's output or a node's log. Its
 * level belongs to the process-wide {@link OrtEnvironment}, fixed when that is first created, so a
 * program sets it once at startup, before the first {@link OnnxRuntimeEngine} is loaded (which then
 * shares that environment).
 */
public final class OnnxRuntimeLogging {
  private OnnxRuntimeLogging() {}

  private static boolean set;

  /**
   * Creates ONNX Runtime's environment with errors only (warnings, info and verbose lines dropped);
   * a second call does nothing. Call it before anything in the process loads a model: once an
   * environment exists, ONNX Runtime keeps its level.
   */
  public static synchronized void errorsOnly() {
    if (set) {
      return;
    }
    // Native initialization overflows a default 1 MB stack as session creation does (SIGSEGV):
    // a large-stack thread, as OnnxRuntimeEngine.load uses.
    RuntimeException[] failure = new RuntimeException[1];
    Thread creator =
        new Thread(
            null,
            () -> {
              try {
                // The name OrtEnvironment.getEnvironment() uses: later calls share it silently.
                OrtEnvironment.getEnvironment(
                    OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, OrtEnvironment.DEFAULT_NAME);
              } catch (RuntimeException e) {
                failure[0] = e;
              }
            },
            "onnx-environment",
            OnnxRuntimeEngine.LOADER_STACK_BYTES);
    creator.start();
    boolean interrupted = false;
    while (true) {
      try {
        creator.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    set = true;
  }
}
