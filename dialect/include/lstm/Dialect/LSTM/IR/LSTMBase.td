//===- LSTMBase.td - LSTM dialect definition ---------------*- tablegen -*-===//
//
// The lstm dialect models torch.nn.LSTM and the lower-level pieces its
// compilation is decomposed into.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_DIALECT_LSTM_IR_LSTMBASE_TD
#define LSTM_DIALECT_LSTM_IR_LSTMBASE_TD

include "mlir/IR/OpBase.td"

def LSTM_Dialect : Dialect {
  let name = "lstm";
  let cppNamespace = "::mlir::lstm";
  let summary = "Long short-term memory networks as tensor operations";
  let description = [{
    The `lstm` dialect holds one op per level of an LSTM's compilation:
    `lstm.lstm` is exactly one `torch.nn.LSTM` forward call, `lstm.layer` is
    one layer in one direction, and `lstm.recurrence` is the time loop that
    remains once the input projection has been hoisted out. Everything around
    an LSTM in a model graph uses upstream dialects.
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
  let dependentDialects = [
    "::mlir::tensor::TensorDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::arith::ArithDialect"
  ];
}

// Like I64Attr, but read as a signed value: sizes must be checked against
// negative numbers, as PyTorch does.
def LSTM_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
    "64-bit signless integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

class LSTM_Op<string mnemonic, list<Trait> traits = []>
    : Op<LSTM_Dialect, mnemonic, traits>;

#endif // LSTM_DIALECT_LSTM_IR_LSTMBASE_TD
