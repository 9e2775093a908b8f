package io.vouch.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs one ONNX model on ONNX Runtime's CPU provider: the float engine of the {@code VANILLA} and
 * {@code TEE} levels. One object owns the session and its options (as Tribuo's ONNX models do);
 * {@link #close()} releases both. The {@link OrtEnvironment} is ONNX Runtime's process-wide
 * singleton and is shared, never closed here.
 *
 * <p>Settings chosen so that the same input gives the same output on every node:
 *
 * <ul>
 *   <li>sequential execution, one intra-op and one inter-op thread by default ({@link
 *       EngineOptions}): the order of floating-point reductions does not depend on thread count;
 *   <li>graph optimization level {@code BASIC}: only semantics-preserving, hardware-independent
 *       rewrites (constant folding, redundant-node elimination). {@code EXTENDED} and {@code ALL}
 *       add fusions and CPU-specific layout changes (NCHWc) whose rounding may differ between
 *       machines, which would make honest validators disagree when they re-execute for an audit;
 *   <li>deterministic compute requested from ONNX Runtime.
 * </ul>
 *
 * <p>Every input is checked against the model's schema before anything runs (name, dtype, rank and
 * fixed dimensions, size limit, NaN and infinities). {@code run} is safe to call from several
 * threads at once.
 */
public final class OnnxRuntimeEngine implements AutoCloseable {
  private final OnnxModelFile model;
  private final EngineOptions options;
  private final OrtEnvironment environment;
  private final OrtSession.SessionOptions sessionOptions;
  private final OrtSession session;
  private final java.util.List<String> recorded;
  private boolean closed;

  private OnnxRuntimeEngine(OnnxModelFile model, EngineOptions options) {
    this(model, options, model.bytes(), java.util.List.of());
  }

  private OnnxRuntimeEngine(
      OnnxModelFile model,
      EngineOptions options,
      byte[] sessionBytes,
      java.util.List<String> recorded) {
    this.model = model;
    this.recorded = java.util.List.copyOf(recorded);
    this.options = options;
    this.environment = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      so.setIntraOpNumThreads(options.intraOpThreads());
      so.setInterOpNumThreads(options.interOpThreads());
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
      so.setDeterministicCompute(true);
      // Idle worker threads would otherwise spin and steal CPU from other requests.
      so.addConfigEntry("session.intra_op.allow_spinning", "0");
      so.addConfigEntry("session.inter_op.allow_spinning", "0");
      this.session = environment.createSession(sessionBytes, so);
    } catch (OrtException e) {
      so.close();
      throw new InferenceFailedException(
          "ONNX Runtime cannot load the model (producer '"
              + model.producerName()
              + "', opset "
              + model.opsetVersion()
              + "): "
              + e.getMessage(),
          e);
    }
    this.sessionOptions = so;
  }

  /** Parses, validates and loads a model with {@link EngineOptions#DEFAULT}. */
  public static OnnxRuntimeEngine load(byte[] onnxBytes) {
    return load(onnxBytes, EngineOptions.DEFAULT);
  }

  public static OnnxRuntimeEngine load(byte[] onnxBytes, EngineOptions options) {
    return load(OnnxModelFile.parse(onnxBytes, options.modelLimits()), options);
  }

  /**
   * Stack size of the thread that creates sessions. ONNX Runtime 1.29's native session creation
   * overflows the JVM's default 1 MB thread stack (the process dies with SIGSEGV, no Java
   * exception), so loading never runs on the caller's thread; running a loaded session is fine on
   * any thread, virtual ones included.
   */
  static final long LOADER_STACK_BYTES = 16L << 20;

  public static OnnxRuntimeEngine load(OnnxModelFile model, EngineOptions options) {
    return loadOnLoaderThread(() -> new OnnxRuntimeEngine(model, options));
  }

  /**
   * Loads the model with the float tensors {@code names} (outputs of its nodes) exposed as extra
   * outputs, for {@link #runRecording}: how a quantizer sees every activation exactly as ONNX
   * Runtime computes it (calibration ranges, shapes) without a float engine of its own.
   */
  public static OnnxRuntimeEngine loadRecording(
      OnnxModelFile model, java.util.List<String> names, EngineOptions options) {
    ai.onnx.proto.OnnxMl.ModelProto.Builder proto = model.proto().toBuilder();
    java.util.Set<String> declared = new java.util.HashSet<>(model.schema().outputNames());
    for (String name : names) {
      if (!declared.contains(name)) {
        proto
            .getGraphBuilder()
            .addOutput(
                ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder()
                    .setName(name)
                    .setType(
                        ai.onnx.proto.OnnxMl.TypeProto.newBuilder()
                            .setTensorType(
                                ai.onnx.proto.OnnxMl.TypeProto.Tensor.newBuilder()
                                    .setElemType(
                                        ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE))));
      }
    }
    byte[] bytes = proto.build().toByteArray();
    return loadOnLoaderThread(() -> new OnnxRuntimeEngine(model, options, bytes, names));
  }

  private static OnnxRuntimeEngine loadOnLoaderThread(
      java.util.function.Supplier<OnnxRuntimeEngine> create) {
    OnnxRuntimeEngine[] engine = new OnnxRuntimeEngine[1];
    RuntimeException[] failure = new RuntimeException[1];
    Thread loader =
        new Thread(
            null,
            () -> {
              try {
                engine[0] = create.get();
              } catch (RuntimeException e) {
                failure[0] = e;
              }
            },
            "onnx-session-loader",
            LOADER_STACK_BYTES);
    loader.start();
    boolean interrupted = false;
    while (true) {
      try {
        loader.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the session must not leak: finish loading, then re-interrupt
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    return engine[0];
  }

  public OnnxModelFile model() {
    return model;
  }

  public ModelSchema schema() {
    return model.schema();
  }

  public EngineOptions options() {
    return options;
  }

  /** Runs a model with exactly one input and one output. */
  public Tensor run(Tensor input) {
    ModelSchema schema = schema();
    if (schema.inputs().size() != 1 || schema.outputs().size() != 1) {
      throw new InvalidInputException(
          "run(Tensor) needs a model with one input and one output; this model takes "
              + schema.inputNames()
              + " and gives "
              + schema.outputNames()
              + ": call run(Map) with a tensor per input name");
    }
    String inputName = schema.inputs().get(0).name();
    return run(Map.of(inputName, input)).get(schema.outputs().get(0).name());
  }

  /**
   * Runs the model on named inputs; returns every graph output by name, in graph order.
   *
   * @throws InvalidInputException if an input does not fit the schema (nothing is run)
   */
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    checkOpen();
    validate(inputs);
    Map<String, OnnxTensor> ortInputs = new HashMap<>();
    try {
      for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
        ortInputs.put(e.getKey(), toOnnxTensor(e.getValue()));
      }
      try (OrtSession.Result result = session.run(ortInputs)) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (TensorSpec spec : schema().outputs()) {
          OnnxValue value =
              result
                  .get(spec.name())
                  .orElseThrow(() ->
                      new IllegalStateException(
                          "ONNX Runtime returned no value for output '" + spec.name() + "'"));
          outputs.put(spec.name(), fromOnnxValue(spec.name(), value));
        }
        return outputs;
      }
    } catch (OrtException e) {
      throw new InferenceFailedException(
          "ONNX Runtime failed to run the model: " + e.getMessage(), e);
    } finally {
      ortInputs.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * Runs a {@link #loadRecording} engine: the graph outputs and every recorded tensor, by name.
   *
   * @throws InvalidInputException if an input does not fit the schema (nothing is run)
   */
  public Map<String, Tensor> runRecording(Map<String, Tensor> inputs) {
    checkOpen();
    validate(inputs);
    Map<String, OnnxTensor> ortInputs = new HashMap<>();
    try {
      for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
        ortInputs.put(e.getKey(), toOnnxTensor(e.getValue()));
      }
      try (OrtSession.Result result = session.run(ortInputs)) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : result) {
          outputs.put(e.getKey(), fromOnnxValue(e.getKey(), e.getValue()));
        }
        return outputs;
      }
    } catch (OrtException e) {
      throw new InferenceFailedException(
          "ONNX Runtime failed to run the model: " + e.getMessage(), e);
    } finally {
      ortInputs.values().forEach(OnnxTensor::close);
    }
  }

  /** The tensors a {@link #loadRecording} engine exposes beyond the graph outputs. */
  public java.util.List<String> recorded() {
    return recorded;
  }

  /**
   * Checks inputs against the schema without running: exactly the declared names, the declared
   * dtype, rank and fixed dimensions, at most {@link EngineOptions#maxInputElements()} elements,
   * and only finite floats.
   *
   * @throws InvalidInputException naming the first problem found
   */
  public void validate(Map<String, Tensor> inputs) {
    ModelSchema schema = schema();
    for (String name : inputs.keySet()) {
      if (schema.input(name).isEmpty()) {
        throw new InvalidInputException(
            "unknown input '" + name + "'; the model takes " + describe(schema));
      }
    }
    for (TensorSpec spec : schema.inputs()) {
      Tensor t = inputs.get(spec.name());
      if (t == null) {
        throw new InvalidInputException(
            "missing input '" + spec.name() + "'; the model takes " + describe(schema));
      }
      validate(spec, t);
    }
  }

  private void validate(TensorSpec spec, Tensor t) {
    if (t.dtype() != spec.dtype()) {
      throw new InvalidInputException(
          "input '"
              + spec.name()
              + "' is "
              + t.dtype().jsonName()
              + " but the model expects "
              + spec.dtype().jsonName()
              + "; convert the tensor to "
              + spec.dtype().jsonName());
    }
    if (!spec.accepts(t.shape())) {
      throw new InvalidInputException(
          "input '"
              + spec.name()
              + "' has shape "
              + Arrays.toString(t.shape())
              + " but the model expects "
              + spec.shapeText()
              + (spec.rank() != t.rank()
                  ? " (rank " + spec.rank() + ", got rank " + t.rank() + ")"
                  : "")
              + "; N stands for any size");
    }
    long elements = t.elementCount();
    if (elements > options.maxInputElements()) {
      throw new InvalidInputException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "input '"
              + spec.name()
              + "' holds "
              + elements
              + " elements; the limit is "
              + options.maxInputElements()
              + " (EngineOptions.maxInputElements): split the batch");
    }
    if (elements == 0) {
      throw new InvalidInputException(
          "input '"
              + spec.name()
              + "' of shape "
              + Arrays.toString(t.shape())
              + " holds no elements; send at least one row");
    }
    int bad = t.firstNonFinite();
    if (bad >= 0) {
      throw new InvalidInputException(
          "input '"
              + spec.name()
              + "' holds "
              + t.getAsDouble(bad)
              + " at flat index "
              + bad
              + " (position "
              + Arrays.toString(position(bad, t.shape()))
              + "); only finite numbers are accepted");
    }
  }

  private static int[] position(int flatIndex, int[] shape) {
    int[] pos = new int[shape.length];
    int rest = flatIndex;
    for (int axis = shape.length - 1; axis >= 0; axis--) {
      pos[axis] = rest % shape[axis];
      rest /= shape[axis];
    }
    return pos;
  }

  private static String describe(ModelSchema schema) {
    return schema.inputs().stream().map(TensorSpec::toString).collect(Collectors.joining(", "));
  }

  private OnnxTensor toOnnxTensor(Tensor t) throws OrtException {
    long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
    return switch (t.dtype()) {
      case FLOAT32 -> OnnxTensor.createTensor(environment, FloatBuffer.wrap(t.toFloats()), shape);
      case FLOAT64 -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap(t.toDoubles()), shape);
      case INT32 -> OnnxTensor.createTensor(environment, IntBuffer.wrap(t.toInts()), shape);
      case INT64 -> OnnxTensor.createTensor(environment, LongBuffer.wrap(t.toLongs()), shape);
      case INT8 ->
          OnnxTensor.createTensor(environment, ByteBuffer.wrap(t.data()), shape, OnnxJavaType.INT8);
      case UINT8 ->
          OnnxTensor.createTensor(
              environment, ByteBuffer.wrap(t.data()), shape, OnnxJavaType.UINT8);
    };
  }

  private static Tensor fromOnnxValue(String name, OnnxValue value) {
    if (!(value instanceof OnnxTensor tensor)) {
      throw new InvalidModelException(
          "output '" + name + "' is a " + value.getType() + ", not a tensor");
    }
    TensorInfo info = tensor.getInfo();
    int[] shape = new int[info.getShape().length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = Math.toIntExact(info.getShape()[i]);
    }
    DType dtype =
        switch (info.type) {
          case FLOAT -> DType.FLOAT32;
          case DOUBLE -> DType.FLOAT64;
          case INT8 -> DType.INT8;
          case UINT8 -> DType.UINT8;
          case INT32 -> DType.INT32;
          case INT64 -> DType.INT64;
          default ->
              throw new InvalidModelException(
                  "output '"
                      + name
                      + "' has element type "
                      + info.type
                      + "; supported: float32, float64, int8, uint8, int32, int64");
        };
    int count = Math.toIntExact(Tensor.elementCount(shape));
    ByteBuffer le = ByteBuffer.allocate(count * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case FLOAT32 -> le.asFloatBuffer().put(tensor.getFloatBuffer());
      case FLOAT64 -> le.asDoubleBuffer().put(tensor.getDoubleBuffer());
      case INT32 -> le.asIntBuffer().put(tensor.getIntBuffer());
      case INT64 -> le.asLongBuffer().put(tensor.getLongBuffer());
      case INT8, UINT8 -> le.put(tensor.getByteBuffer());
    }
    return Tensor.of(dtype, shape, le.array());
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this engine is closed; load the model again to run it");
    }
  }

  /** Releases the session and its options. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (OrtException e) {
      throw new InferenceFailedException("failed to close the ONNX Runtime session", e);
    } finally {
      sessionOptions.close();
    }
  }
}
