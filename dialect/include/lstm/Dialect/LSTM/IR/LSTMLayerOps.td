//===- LSTMLayerOps.td - The layers around LSTMs -----------*- tablegen -*-===//
//
// Layers of model graphs that have no upstream op carrying their meaning:
// convolutions and pooling with PyTorch's and ONNX's padding rules,
// normalizations, activations with parameters. Both importers emit them;
// `lstm-lower-layers` lowers each to linalg, once, for every target.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_DIALECT_LSTM_IR_LSTMLAYEROPS_TD
#define LSTM_DIALECT_LSTM_IR_LSTMLAYEROPS_TD

include "lstm/Dialect/LSTM/IR/LSTMAttrs.td"
include "lstm/Dialect/LSTM/IR/LSTMBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/RuntimeVerifiableOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class LSTM_LayerOp<string mnemonic, list<Trait> traits = []>
    : LSTM_Op<mnemonic, !listconcat([Pure,
        DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
            ["reifyResultShapes"]>,
        DeclareOpInterfaceMethods<RuntimeVerifiableOpInterface>], traits)>;

//===----------------------------------------------------------------------===//
// ActivationOp
//===----------------------------------------------------------------------===//

def LSTM_ActivationOp : LSTM_Op<"activation", [Pure, Elementwise,
    SameOperandsAndResultType,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "an activation function applied to every element";
  let description = [{
    Applies `function` (one of `#lstm.activation`'s functions, the same ones
    an LSTM's gates take) to every element: nn.ReLU, nn.Tanh, nn.Sigmoid,
    nn.LeakyReLU, nn.ELU, nn.Softplus (beta 1, threshold 20), nn.Hardtanh
    and ONNX's Relu, Tanh, Sigmoid, LeakyRelu, Elu, Softplus, Softsign,
    HardSigmoid, ThresholdedRelu.

    Example (DeepSpeech2's clipped ReLU, nn.Hardtanh(0, 20)):

    ```mlir
    %y = lstm.activation <hardtanh, alpha = 0.000000e+00 : f32,
        beta = 2.000000e+01 : f32> %x : tensor<?x32x?x?xf32>
    ```
  }];

  let arguments = (ins RankedTensorOf<[F32]>:$input,
                       LSTM_ActivationAttr:$function);
  let results = (outs RankedTensorOf<[F32]>:$result);

  let assemblyFormat = [{
    $function $input attr-dict `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

def LSTM_ConvOp : LSTM_LayerOp<"conv"> {
  let summary = "an N-d grouped convolution (Conv1d, Conv2d, ONNX Conv)";
  let description = [{
    `torch.nn.functional.conv{1,2,3}d` and ONNX's `Conv` in the channels-
    first layout: `input` (N, C, S_1, ..., S_d), `weight` (F, C / groups,
    K_1, ..., K_d), optional `bias` (F); the result is (N, F, O_1, ..., O_d)
    with

        O_i = floor((S_i + pad_begin_i + pad_end_i
                     - dilation_i * (K_i - 1) - 1) / stride_i) + 1

        result[n, f, o...] = bias[f] + sum over c, k... of
            weight[f, c, k...] * padded[n, g * C / groups + c,
                                        o * stride + k * dilation...]

    where g = f / (F / groups) and `padded` is `input` with zeros added:
    `padding` holds the d begin pads, then the d end pads (ONNX's `pads`
    order; PyTorch's symmetric `padding` gives equal halves). An input
    smaller than the dilated kernel (O_i < 1) fails the call at run time as
    PyTorch raises "Kernel size can't be greater than actual input size".

    Example (a Conv1d(40, 64, 5, padding=2) over time):

    ```mlir
    %y = lstm.conv %x, %w, %b strides = [1] dilations = [1]
        padding = [2, 2] groups = 1
        : tensor<?x40x?xf32>, tensor<64x40x5xf32>, tensor<64xf32>
        -> tensor<?x64x?xf32>
    ```
  }];

  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    RankedTensorOf<[F32]>:$weight,
    Optional<RankedTensorOf<[F32]>>:$bias,
    DenseI64ArrayAttr:$strides,
    DenseI64ArrayAttr:$dilations,
    DenseI64ArrayAttr:$padding,
    LSTM_I64Attr:$groups
  );
  let results = (outs RankedTensorOf<[F32]>:$result);

  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `strides` `=` $strides
    `dilations` `=` $dilations `padding` `=` $padding `groups` `=` $groups
    attr-dict `:` type($input) `,` type($weight) (`,` type($bias)^)?
    `->` type($result)
  }];

  let extraClassDeclaration = [{
    /// d: the number of spatial dimensions.
    int64_t getNumSpatialDims() { return getInput().getType().getRank() - 2; }
    /// The window along each spatial dimension.
    SmallVector<SlidingWindow> getWindows();
  }];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// PoolOp
//===----------------------------------------------------------------------===//

def LSTM_PoolOp : LSTM_LayerOp<"pool"> {
  let summary = "N-d max or average pooling (MaxPool, AvgPool)";
  let description = [{
    `torch.nn.functional.{max,avg}_pool{1,2,3}d` and ONNX's `MaxPool` and
    `AveragePool` in the channels-first layout: `input` (N, C, S_1, ...,
    S_d); the result is (N, C, O_1, ..., O_d), each element the maximum or
    the average of its window of `kernel` elements spaced `dilations`
    apart, windows `strides` apart, over the input with `padding` (d begin
    pads, then d end pads) added. Padding never wins a maximum.

        O_i = floor or, with `ceil_mode`, ceil of
              (S_i + pad_begin_i + pad_end_i - dilation_i * (K_i - 1) - 1)
              / stride_i, plus 1

    With `ceil_mode`, a last window that would start in the end padding is
    dropped (PyTorch's rule); windows that run past the end padding cover
    only what lies inside it. An average divides by the number of window
    elements inside the input and padding with `count_include_pad`, inside
    the input alone without; average pooling takes no dilations.

    Example (CRNN's MaxPool2d((2, 1), (2, 1)), halving the height only):

    ```mlir
    %y = lstm.pool max %x kernel = [2, 1] strides = [2, 1]
        dilations = [1, 1] padding = [0, 0, 0, 0]
        : tensor<?x256x4x?xf32> -> tensor<?x256x2x?xf32>
    ```
  }];

  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    LSTM_PoolKind:$kind,
    DenseI64ArrayAttr:$kernel,
    DenseI64ArrayAttr:$strides,
    DenseI64ArrayAttr:$dilations,
    DenseI64ArrayAttr:$padding,
    UnitAttr:$ceil_mode,
    UnitAttr:$count_include_pad
  );
  let results = (outs RankedTensorOf<[F32]>:$result);

  let assemblyFormat = [{
    $kind $input `kernel` `=` $kernel `strides` `=` $strides
    `dilations` `=` $dilations `padding` `=` $padding
    (`ceil_mode` $ceil_mode^)? (`count_include_pad` $count_include_pad^)?
    attr-dict `:` type($input) `->` type($result)
  }];

  let extraClassDeclaration = [{
    int64_t getNumSpatialDims() { return getInput().getType().getRank() - 2; }
    SmallVector<SlidingWindow> getWindows();
  }];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

def LSTM_BatchNormOp : LSTM_LayerOp<"batch_norm", [
    AllTypesMatch<["input", "result"]>,
    AllTypesMatch<["scale", "bias", "mean", "variance"]>]> {
  let summary = "batch normalization in inference (BatchNorm1d/2d)";
  let description = [{
    `torch.nn.BatchNorm{1,2,3}d` in eval mode and ONNX's
    `BatchNormalization` in inference: with `input` (N, C, ...) and the
    per-channel `scale`, `bias`, `mean` and `variance` (C),

        result[n, c, ...] = (input[n, c, ...] - mean[c])
                            / sqrt(variance[c] + epsilon) * scale[c]
                            + bias[c]

    `lstm-fold-batch-norm` folds it into a preceding convolution whose
    parameters and statistics are constants.

    ```mlir
    %y = lstm.batch_norm %x, %scale, %bias, %mean, %var epsilon = 1.0e-05
        : tensor<?x64x?xf32>, tensor<64xf32>
    ```
  }];

  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    RankedTensorOf<[F32]>:$scale,
    RankedTensorOf<[F32]>:$bias,
    RankedTensorOf<[F32]>:$mean,
    RankedTensorOf<[F32]>:$variance,
    F32Attr:$epsilon
  );
  let results = (outs RankedTensorOf<[F32]>:$result);

  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance
    `epsilon` `=` $epsilon attr-dict `:` type($input) `,` type($scale)
  }];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// LayerNormOp
//===----------------------------------------------------------------------===//

def LSTM_LayerNormOp : LSTM_LayerOp<"layer_norm", [
    AllTypesMatch<["input", "result"]>, AttrSizedOperandSegments]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    `torch.nn.LayerNorm(normalized_shape)` and ONNX's `LayerNormalization`
    (axis = rank - `normalized_rank`): each slice of `input` over its last
    `normalized_rank` dimensions is normalized by its mean and (biased)
    variance,

        result = (input - mean) / sqrt(variance + epsilon) * scale + bias

    with the optional `scale` and `bias` of the normalized shape (1 and 0
    when absent). A slice of zero elements is not normalized: it has none.

    ```mlir
    %y = lstm.layer_norm %x scale(%g : tensor<256xf32>)
        bias(%b : tensor<256xf32>) normalized_rank = 1 epsilon = 1.0e-05
        : tensor<?x?x256xf32>
    ```
  }];

  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    Optional<RankedTensorOf<[F32]>>:$scale,
    Optional<RankedTensorOf<[F32]>>:$bias,
    LSTM_I64Attr:$normalized_rank,
    F32Attr:$epsilon
  );
  let results = (outs RankedTensorOf<[F32]>:$result);

  let assemblyFormat = [{
    $input (`scale` `(` $scale^ `:` type($scale) `)`)?
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `normalized_rank` `=` $normalized_rank `epsilon` `=` $epsilon
    attr-dict `:` type($input)
  }];

  let hasVerifier = 1;
}

#endif // LSTM_DIALECT_LSTM_IR_LSTMLAYEROPS_TD
