# -*- Python -*-

import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "LSTMC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.lstm_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs",
                   "differential.py"]

config.substitutions.append(("%lstm_src_root", config.lstm_src_root))
# Debian's Python, which has numpy and torch.
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(
    ("%expect_exit", config.python_executable + " " +
     os.path.join(config.test_source_root, "Inputs", "expect_exit.py")))

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.lstm_tools_dir, config.llvm_tools_dir]
tools = ["lstm-opt", "lstm-compile", "lstm-run", "lstm-import-torch",
         "lstm-import-onnx"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# The libraries a model's object links against (libomp).
config.substitutions.append(("%llvm_lib_dir", config.llvm_lib_dir))

# Emulated CPUs for the CPU-feature tests; the README's set-up installs
# QEMU, so CI runs them.
if shutil.which("qemu-x86_64"):
    config.available_features.add("qemu-x86_64")

# Tools built with sanitizers (build-sanitize), which QEMU cannot run; the
# compiler that built them links test programs with the same runtime.
if config.lstm_sanitize:
    config.available_features.add("sanitizers")
    config.substitutions.append(("%clang", config.c_compiler))
