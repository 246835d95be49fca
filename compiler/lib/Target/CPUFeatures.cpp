//===- CPUFeatures.cpp - The CPU features a model's code needs ------------===//
//
// x86-64: each feature is a CPUID bit, and the vector extensions also need
// the OS to save their registers (XCR0). The detection function is plain
// baseline code with CPUID and XGETBV as inline assembly.
//
//===----------------------------------------------------------------------===//

#include "lstm/Target/CPUFeatures.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace mlir::lstm;

namespace {
/// The CPUID leaves the table reads.
enum class Leaf { L1, L7, L7S1, LD1, Ext1 };
enum class Reg { EAX, EBX, ECX, EDX };

/// State the OS must enable in XCR0 for a feature's registers.
constexpr uint64_t kAVXState = 0x6;           // XMM, YMM
constexpr uint64_t kAVX512State = 0xe6;       // and opmask, ZMM
constexpr uint64_t kAMXState = 0x60000 | 0x6; // and TILECFG, TILEDATA

struct X86Feature {
  const char *name; // LLVM's name
  Leaf leaf;
  Reg reg;
  unsigned bit;
  uint64_t xcr0;
};

// Intel SDM vol. 2A, CPUID; AMD APM vol. 3, appendix E.
constexpr X86Feature kX86Features[] = {
    {"sse3", Leaf::L1, Reg::ECX, 0, 0},
    {"pclmul", Leaf::L1, Reg::ECX, 1, 0},
    {"ssse3", Leaf::L1, Reg::ECX, 9, 0},
    {"fma", Leaf::L1, Reg::ECX, 12, kAVXState},
    {"cx16", Leaf::L1, Reg::ECX, 13, 0},
    {"sse4.1", Leaf::L1, Reg::ECX, 19, 0},
    {"sse4.2", Leaf::L1, Reg::ECX, 20, 0},
    {"movbe", Leaf::L1, Reg::ECX, 22, 0},
    {"popcnt", Leaf::L1, Reg::ECX, 23, 0},
    {"aes", Leaf::L1, Reg::ECX, 25, 0},
    {"xsave", Leaf::L1, Reg::ECX, 26, 0},
    {"avx", Leaf::L1, Reg::ECX, 28, kAVXState},
    {"f16c", Leaf::L1, Reg::ECX, 29, kAVXState},
    {"rdrnd", Leaf::L1, Reg::ECX, 30, 0},
    {"cmov", Leaf::L1, Reg::EDX, 15, 0},
    {"sse", Leaf::L1, Reg::EDX, 25, 0},
    {"sse2", Leaf::L1, Reg::EDX, 26, 0},
    {"fsgsbase", Leaf::L7, Reg::EBX, 0, 0},
    {"bmi", Leaf::L7, Reg::EBX, 3, 0},
    {"avx2", Leaf::L7, Reg::EBX, 5, kAVXState},
    {"bmi2", Leaf::L7, Reg::EBX, 8, 0},
    {"avx512f", Leaf::L7, Reg::EBX, 16, kAVX512State},
    {"avx512dq", Leaf::L7, Reg::EBX, 17, kAVX512State},
    {"rdseed", Leaf::L7, Reg::EBX, 18, 0},
    {"adx", Leaf::L7, Reg::EBX, 19, 0},
    {"avx512ifma", Leaf::L7, Reg::EBX, 21, kAVX512State},
    {"clflushopt", Leaf::L7, Reg::EBX, 23, 0},
    {"clwb", Leaf::L7, Reg::EBX, 24, 0},
    {"avx512cd", Leaf::L7, Reg::EBX, 28, kAVX512State},
    {"sha", Leaf::L7, Reg::EBX, 29, 0},
    {"avx512bw", Leaf::L7, Reg::EBX, 30, kAVX512State},
    {"avx512vl", Leaf::L7, Reg::EBX, 31, kAVX512State},
    {"avx512vbmi", Leaf::L7, Reg::ECX, 1, kAVX512State},
    {"avx512vbmi2", Leaf::L7, Reg::ECX, 6, kAVX512State},
    {"gfni", Leaf::L7, Reg::ECX, 8, 0},
    {"vaes", Leaf::L7, Reg::ECX, 9, kAVXState},
    {"vpclmulqdq", Leaf::L7, Reg::ECX, 10, kAVXState},
    {"avx512vnni", Leaf::L7, Reg::ECX, 11, kAVX512State},
    {"avx512bitalg", Leaf::L7, Reg::ECX, 12, kAVX512State},
    {"avx512vpopcntdq", Leaf::L7, Reg::ECX, 14, kAVX512State},
    {"avx512vp2intersect", Leaf::L7, Reg::EDX, 8, kAVX512State},
    {"amx-bf16", Leaf::L7, Reg::EDX, 22, kAMXState},
    {"avx512fp16", Leaf::L7, Reg::EDX, 23, kAVX512State},
    {"amx-tile", Leaf::L7, Reg::EDX, 24, kAMXState},
    {"amx-int8", Leaf::L7, Reg::EDX, 25, kAMXState},
    {"avxvnni", Leaf::L7S1, Reg::EAX, 4, kAVXState},
    {"avx512bf16", Leaf::L7S1, Reg::EAX, 5, kAVX512State},
    {"amx-fp16", Leaf::L7S1, Reg::EAX, 21, kAMXState},
    {"avxifma", Leaf::L7S1, Reg::EAX, 23, kAVXState},
    {"avxvnniint8", Leaf::L7S1, Reg::EDX, 4, kAVXState},
    {"avxneconvert", Leaf::L7S1, Reg::EDX, 5, kAVXState},
    {"amx-complex", Leaf::L7S1, Reg::EDX, 8, kAMXState},
    {"xsaveopt", Leaf::LD1, Reg::EAX, 0, 0},
    {"xsavec", Leaf::LD1, Reg::EAX, 1, 0},
    {"xsaves", Leaf::LD1, Reg::EAX, 3, 0},
    {"sahf", Leaf::Ext1, Reg::ECX, 0, 0},
    {"lzcnt", Leaf::Ext1, Reg::ECX, 5, 0},
    {"sse4a", Leaf::Ext1, Reg::ECX, 6, 0},
    {"prfchw", Leaf::Ext1, Reg::ECX, 8, 0},
    {"xop", Leaf::Ext1, Reg::ECX, 11, kAVXState},
    {"fma4", Leaf::Ext1, Reg::ECX, 16, kAVXState},
    {"tbm", Leaf::Ext1, Reg::ECX, 21, 0},
};
static_assert(std::size(kX86Features) <= 64,
              "the missing-feature mask has 64 bits");

const X86Feature *findX86Feature(StringRef name) {
  for (const X86Feature &feature : kX86Features)
    if (name == feature.name)
      return &feature;
  return nullptr;
}
} // namespace

SmallVector<std::string>
mlir::lstm::getDetectableCPUFeatures(const llvm::TargetMachine &machine) {
  SmallVector<std::string> features;
  if (!machine.getTargetTriple().isX86())
    return features;
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  for (const X86Feature &feature : kX86Features)
    if (info->checkFeatures(std::string("+") + feature.name))
      features.push_back(feature.name);
  return features;
}

void mlir::lstm::setBaselineTarget(llvm::Function &function) {
  // The x86-64 psABI's baseline; lstmc targets x86-64 only so far.
  function.addFnAttr("target-cpu", "x86-64");
  function.addFnAttr("target-features", "+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,"
                                        "+x87");
}

llvm::Function *
mlir::lstm::emitCPUFeatureCheck(llvm::Module &module, StringRef name,
                                ArrayRef<std::string> features) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *function =
      llvm::Function::Create(llvm::FunctionType::get(i64, {}, false),
                             llvm::GlobalValue::InternalLinkage, name, module);
  setBaselineTarget(*function);
  function->addFnAttr(llvm::Attribute::NoInline);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", function));
  if (features.empty()) {
    b.CreateRet(b.getInt64(0));
    return function;
  }

  auto *regs = llvm::StructType::get(ctx, {i32, i32, i32, i32});
  auto *cpuid = llvm::InlineAsm::get(
      llvm::FunctionType::get(regs, {i32, i32}, false), "cpuid",
      "={ax},={bx},={cx},={dx},{ax},{cx},~{dirflag},~{fpsr},~{flags}",
      /*hasSideEffects=*/true);
  auto *xgetbv = llvm::InlineAsm::get(
      llvm::FunctionType::get(llvm::StructType::get(ctx, {i32, i32}), {i32},
                              false),
      "xgetbv", "={ax},={dx},{cx},~{dirflag},~{fpsr},~{flags}",
      /*hasSideEffects=*/true);
  // A leaf above the CPU's maximum reads as zeros.
  auto query = [&](uint32_t leaf, uint32_t subleaf, llvm::Value *maxLeaf) {
    llvm::Value *result =
        b.CreateCall(cpuid, {b.getInt32(leaf), b.getInt32(subleaf)});
    llvm::Value *valid = b.CreateICmpUGE(maxLeaf, b.getInt32(leaf));
    return b.CreateSelect(valid, result,
                          llvm::ConstantAggregateZero::get(regs));
  };
  llvm::Value *maxBasic = b.CreateExtractValue(
      b.CreateCall(cpuid, {b.getInt32(0), b.getInt32(0)}), 0);
  llvm::Value *maxExtended = b.CreateExtractValue(
      b.CreateCall(cpuid, {b.getInt32(0x80000000), b.getInt32(0)}), 0);
  llvm::Value *leaves[] = {query(1, 0, maxBasic), query(7, 0, maxBasic),
                           query(7, 1, maxBasic), query(0xd, 1, maxBasic),
                           query(0x80000001, 0, maxExtended)};

  // XGETBV exists when the OS enabled XSAVE (OSXSAVE, CPUID.1:ECX[27]).
  llvm::Value *osxsave = b.CreateTrunc(
      b.CreateLShr(b.CreateExtractValue(leaves[0], 2), 27), b.getInt1Ty());
  auto *entry = b.GetInsertBlock();
  auto *readXCR0 = llvm::BasicBlock::Create(ctx, "xgetbv", function);
  auto *check = llvm::BasicBlock::Create(ctx, "check", function);
  b.CreateCondBr(osxsave, readXCR0, check);
  b.SetInsertPoint(readXCR0);
  llvm::Value *xcr = b.CreateCall(xgetbv, {b.getInt32(0)});
  llvm::Value *xcr0Read = b.CreateOr(
      b.CreateZExt(b.CreateExtractValue(xcr, 0), i64),
      b.CreateShl(b.CreateZExt(b.CreateExtractValue(xcr, 1), i64), 32));
  b.CreateBr(check);
  b.SetInsertPoint(check);
  llvm::PHINode *xcr0 = b.CreatePHI(i64, 2);
  xcr0->addIncoming(b.getInt64(0), entry);
  xcr0->addIncoming(xcr0Read, readXCR0);

  llvm::Value *missing = b.getInt64(0);
  for (auto [i, name] : llvm::enumerate(features)) {
    const X86Feature *feature = findX86Feature(name);
    assert(feature && "only detectable features are recorded");
    llvm::Value *reg =
        b.CreateExtractValue(leaves[static_cast<int>(feature->leaf)],
                             static_cast<unsigned>(feature->reg));
    llvm::Value *present = b.CreateICmpNE(
        b.CreateAnd(reg, b.getInt32(1u << feature->bit)), b.getInt32(0));
    if (feature->xcr0)
      present = b.CreateAnd(
          present, b.CreateICmpEQ(b.CreateAnd(xcr0, b.getInt64(feature->xcr0)),
                                  b.getInt64(feature->xcr0)));
    missing = b.CreateOr(
        missing, b.CreateSelect(present, b.getInt64(0), b.getInt64(1ull << i)));
  }
  b.CreateRet(missing);
  return function;
}
