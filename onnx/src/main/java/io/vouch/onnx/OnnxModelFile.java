package io.vouch.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.tensor.DType;
import io.vouch.core.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A parsed and validated ONNX model file. Parsing checks everything Vouch relies on before a model
 * is registered or loaded into an engine, and every refusal says what is wrong and how to fix it:
 * not an ONNX ModelProto, empty graph, missing or unsupported opset, unsupported IR version,
 * unsupported input/output element types, undefined node inputs, duplicate names, size limits,
 * external data.
 *
 * <p>Ops are not restricted here (ONNX Runtime runs almost any op); a level with a narrower op set
 * (ZKML) calls {@link #requireOps(Collection)}.
 */
public final class OnnxModelFile {
  /**
   * The {@code metadata_props} key of a classifier's class names: comma-separated, in output index
   * order (e.g. {@code refund,order_status,cancel_order}).
   */
  public static final String LABELS_METADATA_KEY = "vouch.labels";

  /**
   * IR versions accepted: 3 (the first with opset imports) to 13, the newest ONNX Runtime 1.29
   * loads (measured: it refuses 14 with "max supported IR version: 13").
   */
  public static final long MIN_IR_VERSION = 3;

  public static final long MAX_IR_VERSION = 13;

  /**
   * Default-domain opsets accepted: 7 (ONNX Runtime 1.29 has no CPU kernels for older Gemm) to 26,
   * the newest it officially supports (measured: it refuses 27 as "under development").
   */
  public static final long MIN_OPSET = 7;

  public static final long MAX_OPSET = 26;

  private static final Map<Integer, DType> ONNX_TO_DTYPE =
      Map.of(
          OnnxMl.TensorProto.DataType.FLOAT_VALUE, DType.FLOAT32,
          OnnxMl.TensorProto.DataType.DOUBLE_VALUE, DType.FLOAT64,
          OnnxMl.TensorProto.DataType.INT8_VALUE, DType.INT8,
          OnnxMl.TensorProto.DataType.UINT8_VALUE, DType.UINT8,
          OnnxMl.TensorProto.DataType.INT32_VALUE, DType.INT32,
          OnnxMl.TensorProto.DataType.INT64_VALUE, DType.INT64);

  private static final String SUPPORTED_DTYPES = "float32, float64, int8, uint8, int32, int64";

  private final byte[] bytes;
  private final OnnxMl.ModelProto proto;
  private final long opsetVersion;
  private final Map<String, Long> opsetImports;
  private final ModelSchema schema;
  private final List<OnnxNode> nodes;
  private final Map<String, OnnxMl.TensorProto> initializers;
  private final Map<String, String> metadata;

  private OnnxModelFile(byte[] bytes, OnnxMl.ModelProto proto, ModelLimits limits) {
    this.bytes = bytes;
    this.proto = proto;
    checkIsModel(proto);
    this.opsetImports = readOpsets(proto);
    this.opsetVersion = opsetImports.get("");
    OnnxMl.GraphProto graph = proto.getGraph();
    this.initializers = readInitializers(graph, limits);
    this.nodes = readNodes(graph, limits);
    this.schema = new ModelSchema(readInputs(graph, limits), readOutputs(graph));
    checkWiring(graph);
    Map<String, String> meta = new LinkedHashMap<>();
    for (OnnxMl.StringStringEntryProto e : proto.getMetadataPropsList()) {
      if (meta.put(e.getKey(), e.getValue()) != null) {
        throw new InvalidModelException(
            "metadata key '" + e.getKey() + "' appears twice; keep one entry per key");
      }
    }
    this.metadata = Map.copyOf(meta);
  }

  /** Parses and validates with {@link ModelLimits#DEFAULT}. */
  public static OnnxModelFile parse(byte[] onnxBytes) {
    return parse(onnxBytes, ModelLimits.DEFAULT);
  }

  public static OnnxModelFile parse(byte[] onnxBytes, ModelLimits limits) {
    if (onnxBytes.length == 0) {
      throw new InvalidModelException("the model file is empty; pass the bytes of a .onnx file");
    }
    if (onnxBytes.length > limits.maxModelBytes()) {
      throw new InvalidModelException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "the model file is "
              + onnxBytes.length
              + " bytes; the limit is "
              + limits.maxModelBytes()
              + " bytes (raise ModelLimits.maxModelBytes if this model is intended)");
    }
    OnnxMl.ModelProto proto;
    try {
      proto = OnnxMl.ModelProto.parseFrom(onnxBytes);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidModelException(
          "not an ONNX model: the bytes are not a protobuf message ("
              + e.getMessage()
              + "); pass the binary .onnx file as exported by torch.onnx.export, tf2onnx or"
              + " OnnxModelWriter",
          e);
    }
    return new OnnxModelFile(onnxBytes.clone(), proto, limits);
  }

  /** Reads and validates a file with {@link ModelLimits#DEFAULT}. */
  public static OnnxModelFile read(Path path) {
    return read(path, ModelLimits.DEFAULT);
  }

  public static OnnxModelFile read(Path path, ModelLimits limits) {
    try {
      long size = Files.size(path);
      if (size > limits.maxModelBytes()) {
        throw new InvalidModelException(
            ErrorCode.PAYLOAD_TOO_LARGE,
            "model file "
                + path
                + " is "
                + size
                + " bytes; the limit is "
                + limits.maxModelBytes()
                + " bytes (raise ModelLimits.maxModelBytes if this model is intended)");
      }
      return parse(Files.readAllBytes(path), limits);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model file " + path + ": " + e.getMessage(), e);
    }
  }

  /** The file's bytes (a copy): what engines load and what the content id hashes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The parsed protobuf (immutable). */
  public OnnxMl.ModelProto proto() {
    return proto;
  }

  public long irVersion() {
    return proto.getIrVersion();
  }

  /** The version of the default ONNX operator set ({@code ai.onnx}). */
  public long opsetVersion() {
    return opsetVersion;
  }

  /** Every imported operator set: domain ("" for the default {@code ai.onnx}) to version. */
  public Map<String, Long> opsetImports() {
    return opsetImports;
  }

  public String producerName() {
    return proto.getProducerName();
  }

  public String producerVersion() {
    return proto.getProducerVersion();
  }

  /** The model's {@code metadata_props}. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * The class names of a classifier, in output index order, from the {@value #LABELS_METADATA_KEY}
   * metadata entry; empty when the model does not declare any.
   */
  public Optional<List<String>> classLabels() {
    String labels = metadata.get(LABELS_METADATA_KEY);
    return labels == null || labels.isEmpty()
        ? Optional.empty()
        : Optional.of(List.of(labels.split(",", -1)));
  }

  public ModelSchema schema() {
    return schema;
  }

  /** Graph inputs that are not initializers, in graph order. */
  public List<TensorSpec> inputs() {
    return schema.inputs();
  }

  public List<TensorSpec> outputs() {
    return schema.outputs();
  }

  /** The graph's nodes in file (topological) order. */
  public List<OnnxNode> nodes() {
    return nodes;
  }

  /** The distinct op types the graph uses, sorted. */
  public SortedSet<String> opTypes() {
    return nodes.stream().map(OnnxNode::opType).collect(Collectors.toCollection(TreeSet::new));
  }

  public Set<String> initializerNames() {
    return initializers.keySet();
  }

  /**
   * An initializer (weights, biases) as a core tensor; for element types float32, float64, int8,
   * uint8, int32 and int64.
   */
  public Optional<Tensor> initializer(String name) {
    OnnxMl.TensorProto t = initializers.get(name);
    return t == null ? Optional.empty() : Optional.of(toTensor(t));
  }

  /**
   * The constant value named {@code name}: an initializer, or the output of a {@code Constant} node
   * whose {@code value} attribute holds a tensor. Empty for anything computed at run time.
   */
  public Optional<Tensor> constant(String name) {
    Optional<Tensor> init = initializer(name);
    if (init.isPresent()) {
      return init;
    }
    for (OnnxMl.NodeProto node : proto.getGraph().getNodeList()) {
      if (node.getOpType().equals("Constant") && node.getOutputList().contains(name)) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
          if (a.getName().equals("value") && a.hasT()) {
            return Optional.of(toTensor(a.getT()));
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Refuses a model that uses ops outside {@code supportedOps}, naming every such op and its node
   * at once (not only the first), e.g. {@code unsupported ops (2): 'LSTM' at node 'lstm_1', 'If' at
   * node 'branch'; supported: Gemm, MatMul, Relu}; one offender reads {@code unsupported op 'LSTM'
   * at node 'lstm_1'; supported: ...}.
   */
  public void requireOps(Collection<String> supportedOps) {
    List<String> unsupported = new ArrayList<>();
    for (OnnxNode node : nodes) {
      if (!supportedOps.contains(node.opType())) {
        unsupported.add("'" + node.opType() + "' at node '" + node.label() + "'");
      }
    }
    if (!unsupported.isEmpty()) {
      throw new InvalidModelException(
          (unsupported.size() == 1
                  ? "unsupported op "
                  : "unsupported ops (" + unsupported.size() + "): ")
              + String.join(", ", unsupported)
              + "; supported: "
              + String.join(", ", new TreeSet<>(supportedOps)));
    }
  }

  /** The core dtype for an ONNX {@code TensorProto.DataType} number, if Vouch supports it. */
  public static Optional<DType> dtypeOf(int onnxElemType) {
    return Optional.ofNullable(ONNX_TO_DTYPE.get(onnxElemType));
  }

  /** The ONNX {@code TensorProto.DataType} number of a core dtype. */
  public static int onnxElemType(DType dtype) {
    return ONNX_TO_DTYPE.entrySet().stream()
        .filter(e -> e.getValue() == dtype)
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  private static void checkIsModel(OnnxMl.ModelProto proto) {
    if (!proto.hasIrVersion() && !proto.hasGraph()) {
      throw new InvalidModelException(
          "not an ONNX ModelProto: the protobuf has neither ir_version nor graph; pass a whole"
              + " model file (.onnx), not a tensor, graph or other protobuf");
    }
    if (!proto.hasIrVersion()) {
      throw new InvalidModelException(
          "the model has no ir_version; re-export it with a current ONNX exporter");
    }
    long ir = proto.getIrVersion();
    if (ir < MIN_IR_VERSION || ir > MAX_IR_VERSION) {
      throw new InvalidModelException(
          "unsupported ONNX IR version "
              + ir
              + "; supported: "
              + MIN_IR_VERSION
              + " to "
              + MAX_IR_VERSION
              + " (convert the model with onnx.version_converter or re-export it)");
    }
    if (!proto.hasGraph()) {
      throw new InvalidModelException("the model has no graph; nothing to run");
    }
  }

  private static Map<String, Long> readOpsets(OnnxMl.ModelProto proto) {
    Map<String, Long> opsets = new LinkedHashMap<>();
    for (OnnxMl.OperatorSetIdProto id : proto.getOpsetImportList()) {
      String domain = id.getDomain().equals("ai.onnx") ? "" : id.getDomain();
      if (opsets.put(domain, id.getVersion()) != null) {
        throw new InvalidModelException(
            "opset_import lists domain '" + id.getDomain() + "' twice; keep one entry per domain");
      }
    }
    Long opset = opsets.get("");
    if (opset == null) {
      throw new InvalidModelException(
          "the model has no opset_import for the default ONNX domain (\"\" or \"ai.onnx\"); add"
              + " one, e.g. version 13, when building the ModelProto");
    }
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new InvalidModelException(
          "unsupported ONNX opset "
              + opset
              + "; supported: "
              + MIN_OPSET
              + " to "
              + MAX_OPSET
              + " (convert with onnx.version_converter, or export with opset_version in range)");
    }
    return Map.copyOf(opsets);
  }

  private static Map<String, OnnxMl.TensorProto> readInitializers(
      OnnxMl.GraphProto graph, ModelLimits limits) {
    Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      if (t.getName().isEmpty()) {
        throw new InvalidModelException("an initializer has no name; every initializer needs one");
      }
      if (initializers.put(t.getName(), t) != null) {
        throw new InvalidModelException(
            "duplicate initializer name '" + t.getName() + "'; initializer names must be unique");
      }
      if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
        throw new InvalidModelException(
            "initializer '"
                + t.getName()
                + "' keeps its data in an external file; Vouch needs a self-contained model:"
                + " save it with onnx.save(model, path, save_as_external_data=False)");
      }
      long elements = 1;
      for (long d : t.getDimsList()) {
        if (d < 0) {
          throw new InvalidModelException(
              "initializer '" + t.getName() + "' has negative dimension " + d);
        }
        elements = Math.multiplyExact(elements, Math.max(d, 1));
        if (elements > limits.maxTensorElements()) {
          throw new InvalidModelException(
              ErrorCode.PAYLOAD_TOO_LARGE,
              "initializer '"
                  + t.getName()
                  + "' with dims "
                  + t.getDimsList()
                  + " exceeds the limit of "
                  + limits.maxTensorElements()
                  + " elements (ModelLimits.maxTensorElements)");
        }
      }
    }
    return initializers;
  }

  private static List<OnnxNode> readNodes(OnnxMl.GraphProto graph, ModelLimits limits) {
    if (graph.getNodeCount() == 0) {
      throw new InvalidModelException(
          "the graph is empty (no nodes); export the model with its operators");
    }
    if (graph.getNodeCount() > limits.maxNodes()) {
      throw new InvalidModelException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "the graph has "
              + graph.getNodeCount()
              + " nodes; the limit is "
              + limits.maxNodes()
              + " (ModelLimits.maxNodes)");
    }
    List<OnnxNode> nodes = new ArrayList<>(graph.getNodeCount());
    Set<String> names = new HashSet<>();
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      if (!n.getName().isEmpty() && !names.add(n.getName())) {
        throw new InvalidModelException(
            "duplicate node name '" + n.getName() + "'; node names must be unique");
      }
      nodes.add(
          new OnnxNode(
              n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList()));
    }
    return List.copyOf(nodes);
  }

  private List<TensorSpec> readInputs(OnnxMl.GraphProto graph, ModelLimits limits) {
    List<TensorSpec> inputs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
      if (!seen.add(v.getName())) {
        throw new InvalidModelException(
            "duplicate graph input name '" + v.getName() + "'; input names must be unique");
      }
      if (initializers.containsKey(v.getName())) {
        continue; // an initializer listed as input (IR < 4 style) is a weight, not a caller input
      }
      TensorSpec spec = toSpec("input", v);
      long fixed = 1;
      for (int d : spec.shape()) {
        fixed = Math.multiplyExact(fixed, d == TensorSpec.DYNAMIC ? 1 : d);
      }
      if (fixed > limits.maxTensorElements()) {
        throw new InvalidModelException(
            ErrorCode.PAYLOAD_TOO_LARGE,
            "input '"
                + spec.name()
                + "' of shape "
                + spec.shapeText()
                + " exceeds the limit of "
                + limits.maxTensorElements()
                + " elements (ModelLimits.maxTensorElements)");
      }
      inputs.add(spec);
    }
    if (inputs.isEmpty()) {
      throw new InvalidModelException(
          "the graph has no inputs besides initializers; a model must take at least one input");
    }
    return inputs;
  }

  private static List<TensorSpec> readOutputs(OnnxMl.GraphProto graph) {
    if (graph.getOutputCount() == 0) {
      throw new InvalidModelException("the graph declares no outputs; declare at least one");
    }
    List<TensorSpec> outputs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (OnnxMl.ValueInfoProto v : graph.getOutputList()) {
      if (!seen.add(v.getName())) {
        throw new InvalidModelException(
            "duplicate graph output name '" + v.getName() + "'; output names must be unique");
      }
      outputs.add(toSpec("output", v));
    }
    return outputs;
  }

  private static TensorSpec toSpec(String role, OnnxMl.ValueInfoProto v) {
    if (v.getName().isEmpty()) {
      throw new InvalidModelException(
          "a graph " + role + " has no name; every " + role + " needs one");
    }
    if (!v.getType().hasTensorType()) {
      throw new InvalidModelException(
          role
              + " '"
              + v.getName()
              + "' is a "
              + v.getType().getValueCase()
              + ", not a tensor; supported: tensors of "
              + SUPPORTED_DTYPES);
    }
    OnnxMl.TypeProto.Tensor type = v.getType().getTensorType();
    DType dtype = ONNX_TO_DTYPE.get(type.getElemType());
    if (dtype == null) {
      throw new InvalidModelException(
          role
              + " '"
              + v.getName()
              + "' has element type "
              + elemTypeName(type.getElemType())
              + "; supported: "
              + SUPPORTED_DTYPES
              + " (cast it in the exported graph)");
    }
    if (!type.hasShape()) {
      throw new InvalidModelException(
          role
              + " '"
              + v.getName()
              + "' declares no shape; export it with a fixed rank (dynamic dimensions are fine)");
    }
    List<OnnxMl.TensorShapeProto.Dimension> dims = type.getShape().getDimList();
    if (dims.size() > Tensor.MAX_RANK) {
      throw new InvalidModelException(
          role
              + " '"
              + v.getName()
              + "' has rank "
              + dims.size()
              + "; the largest supported rank is "
              + Tensor.MAX_RANK);
    }
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      OnnxMl.TensorShapeProto.Dimension d = dims.get(i);
      if (!d.hasDimValue()) {
        shape[i] = TensorSpec.DYNAMIC;
      } else if (d.getDimValue() < 0 || d.getDimValue() > Integer.MAX_VALUE) {
        throw new InvalidModelException(
            role + " '" + v.getName() + "' has invalid dimension " + d.getDimValue());
      } else {
        shape[i] = (int) d.getDimValue();
      }
    }
    return new TensorSpec(v.getName(), dtype, shape);
  }

  private void checkWiring(OnnxMl.GraphProto graph) {
    Map<String, String> producedBy = new HashMap<>();
    for (String name : initializers.keySet()) {
      producedBy.put(name, "initializer");
    }
    for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
      producedBy.putIfAbsent(v.getName(), "graph input");
    }
    for (OnnxNode node : nodes) {
      for (String input : node.inputs()) {
        if (!input.isEmpty() && !producedBy.containsKey(input)) {
          throw new InvalidModelException(
              "node '"
                  + node.label()
                  + "' ("
                  + node.opType()
                  + ") reads '"
                  + input
                  + "', which no graph input, initializer or earlier node defines; nodes must be"
                  + " in topological order and every input defined");
        }
      }
      for (String output : node.outputs()) {
        if (output.isEmpty()) {
          continue; // an omitted optional output
        }
        String previous = producedBy.put(output, "node '" + node.label() + "'");
        if (previous != null) {
          throw new InvalidModelException(
              "duplicate value name '"
                  + output
                  + "': node '"
                  + node.label()
                  + "' writes it and so does "
                  + previous
                  + "; every value must be defined once");
        }
      }
    }
    for (TensorSpec output : schema.outputs()) {
      if (!producedBy.containsKey(output.name())) {
        throw new InvalidModelException(
            "graph output '" + output.name() + "' is not produced by any node or input");
      }
    }
  }

  private static String elemTypeName(int elemType) {
    OnnxMl.TensorProto.DataType t = OnnxMl.TensorProto.DataType.forNumber(elemType);
    return t == null ? "#" + elemType : t.name();
  }

  private static Tensor toTensor(OnnxMl.TensorProto t) {
    DType dtype = ONNX_TO_DTYPE.get(t.getDataType());
    if (dtype == null) {
      throw new InvalidModelException(
          "initializer '"
              + t.getName()
              + "' has element type "
              + elemTypeName(t.getDataType())
              + "; readable types: "
              + SUPPORTED_DTYPES);
    }
    int[] shape = t.getDimsList().stream().mapToInt(Math::toIntExact).toArray();
    int count = Math.toIntExact(Tensor.elementCount(shape));
    if (t.hasRawData()) {
      if (t.getRawData().size() != (long) count * dtype.size()) {
        throw new InvalidModelException(
            "initializer '"
                + t.getName()
                + "' of shape "
                + Arrays.toString(shape)
                + " carries "
                + t.getRawData().size()
                + " raw bytes instead of "
                + (long) count * dtype.size());
      }
      return Tensor.of(dtype, shape, t.getRawData().toByteArray());
    }
    ByteBuffer b = ByteBuffer.allocate(count * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
    int stored =
        switch (dtype) {
          case FLOAT32 -> t.getFloatDataCount();
          case FLOAT64 -> t.getDoubleDataCount();
          case INT64 -> t.getInt64DataCount();
          case INT8, UINT8, INT32 -> t.getInt32DataCount();
        };
    if (stored != count) {
      throw new InvalidModelException(
          "initializer '"
              + t.getName()
              + "' of shape "
              + Arrays.toString(shape)
              + " stores "
              + stored
              + " values instead of "
              + count);
    }
    for (int i = 0; i < count; i++) {
      switch (dtype) {
        case FLOAT32 -> b.putFloat(t.getFloatData(i));
        case FLOAT64 -> b.putDouble(t.getDoubleData(i));
        case INT64 -> b.putLong(t.getInt64Data(i));
        case INT32 -> b.putInt(t.getInt32Data(i));
        case INT8, UINT8 -> b.put((byte) t.getInt32Data(i));
      }
    }
    return Tensor.of(dtype, shape, b.array());
  }
}
