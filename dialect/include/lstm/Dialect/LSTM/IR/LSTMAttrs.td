//===- LSTMAttrs.td - LSTM dialect attributes --------------*- tablegen -*-===//

#ifndef LSTM_DIALECT_LSTM_IR_LSTMATTRS_TD
#define LSTM_DIALECT_LSTM_IR_LSTMATTRS_TD

include "lstm/Dialect/LSTM/IR/LSTMBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def LSTM_ActivationKind : I32EnumAttr<"ActivationKind",
    "an activation function of LSTM gates (ONNX's list)", [
  I32EnumAttrCase<"sigmoid", 0>,
  I32EnumAttrCase<"tanh", 1>,
  I32EnumAttrCase<"relu", 2>,
  I32EnumAttrCase<"affine", 3>,
  I32EnumAttrCase<"leaky_relu", 4>,
  I32EnumAttrCase<"thresholded_relu", 5>,
  I32EnumAttrCase<"scaled_tanh", 6>,
  I32EnumAttrCase<"hard_sigmoid", 7>,
  I32EnumAttrCase<"elu", 8>,
  I32EnumAttrCase<"softsign", 9>,
  I32EnumAttrCase<"softplus", 10>,
  I32EnumAttrCase<"hardtanh", 11>
]> {
  let cppNamespace = "::mlir::lstm";
  let genSpecializedAttr = 0;
}

def LSTM_PoolKind : I32EnumAttr<"PoolKind", "how a pooling window is reduced", [
  I32EnumAttrCase<"max", 0>,
  I32EnumAttrCase<"avg", 1>
]> {
  let cppNamespace = "::mlir::lstm";
}

class LSTM_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<LSTM_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def LSTM_ActivationAttr : LSTM_Attr<"Activation", "activation"> {
  let summary = "an activation function with its parameters";
  let description = [{
    One of the activation functions ONNX allows for LSTM gates, with the
    `alpha` and `beta` the function takes:

    | kind | function |
    |---|---|
    | sigmoid | 1 / (1 + exp(-x)) |
    | tanh | tanh(x) |
    | relu | max(x, 0) |
    | affine | alpha * x + beta |
    | leaky_relu | x if x >= 0, else alpha * x |
    | thresholded_relu | x if x > alpha, else 0 |
    | scaled_tanh | alpha * tanh(beta * x) |
    | hard_sigmoid | max(0, min(1, alpha * x + beta)) |
    | elu | x if x >= 0, else alpha * (exp(x) - 1) |
    | softsign | x / (1 + abs(x)) |
    | softplus | log(1 + exp(x)) |
    | hardtanh | min(max(x, alpha), beta) |

    Example: `#lstm.activation<leaky_relu, alpha = 1.000000e-01 : f32>`.
  }];
  let parameters = (ins
    EnumParameter<LSTM_ActivationKind>:$kind,
    OptionalParameter<"FloatAttr">:$alpha,
    OptionalParameter<"FloatAttr">:$beta
  );
  let assemblyFormat = [{
    `<` $kind (`,` `alpha` `=` $alpha^)? (`,` `beta` `=` $beta^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// How many of alpha and beta the kind reads: 0, 1 or 2.
    static int getNumParameters(ActivationKind kind);
  }];
}

#endif // LSTM_DIALECT_LSTM_IR_LSTMATTRS_TD
