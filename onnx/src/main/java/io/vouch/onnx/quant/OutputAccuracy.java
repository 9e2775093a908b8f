package io.vouch.onnx.quant;

/**
 * How closely one output of an {@link IntegerModel}, dequantized, follows ONNX Runtime's on the
 * calibration inputs. Every figure is measured for every output; {@code measure} says which ones
 * the output is held to (see {@link AccuracyMeasure}).
 *
 * @param name the output's name in the ONNX graph
 * @param measure the measure this output is held to
 * @param rowLength values per row (the output's last axis)
 * @param rows rows compared (rows per input × inputs)
 * @param topOne share of rows whose argmax agrees, in [0, 1]
 * @param meanCosine mean over rows of cos(integer row × scale, float row)
 * @param worstCosine the smallest of those cosines
 * @param maxRelativeError max over every value of |integer × scale − float| divided by the output's
 *     full scale, the largest |float| of the output over all calibration inputs
 */
public record OutputAccuracy(
    String name,
    AccuracyMeasure measure,
    int rowLength,
    int rows,
    double topOne,
    double meanCosine,
    double worstCosine,
    double maxRelativeError) {}
