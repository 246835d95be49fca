"""lstm-import-torch: PyTorch models to lstm-dialect MLIR."""
