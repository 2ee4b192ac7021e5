"""Named groups of banned APIs a drill manifest may list (``banned: [norm-builtins]``).

A group bans a *computation*, not one spelling of it: every public route PyTorch and numpy
offer to it is listed (functions, the ``torch._C._VariableFunctions`` / ``torch._VF`` /
``torch.ops.aten`` namespaces, native kernels, the autograd engine). A name that starts
with a dot (``.var``) bans calling a method of that name on anything, which only the static
check can see; the sandbox's run-time guards stub every other name that exists.
"""

from __future__ import annotations

# torch.ops.aten names are banned in the dispatcher (a raising kernel: every route to the op
# goes through it); the others are replaced by stubs in the child.
OP_NAMESPACES = ("torch", "torch._C._VariableFunctions", "torch._VF", "torch.ops.aten")
# PyTorch's own Python implementations of ops (decompositions, references): by name pattern
REFERENCE_NAMESPACES = (
    "torch._refs",
    "torch._refs.nn.functional",
    "torch._decomp.decompositions",
    "torch._decomp.decompositions_for_jvp",
)
NORM_PATTERNS = ("*batch_norm*", "*layer_norm*", "*group_norm*", "*instance_norm*", "*rms_norm*")


def _everywhere(ops: tuple[str, ...]) -> tuple[str, ...]:
    """Each op under every namespace torch exposes it in."""
    return tuple(f"{space}.{op}" for space in OP_NAMESPACES for op in ops)


NORM_OPS = (
    "batch_norm",
    "native_batch_norm",
    "_native_batch_norm_legit",
    "_native_batch_norm_legit_no_training",
    "_native_batch_norm_legit_functional",
    "_batch_norm_impl_index",
    "_batch_norm_with_update",
    "_batch_norm_no_update",
    "batch_norm_elemt",
    "batch_norm_stats",
    "batch_norm_gather_stats",
    "batch_norm_gather_stats_with_counts",
    "batch_norm_update_stats",
    "cudnn_batch_norm",
    "miopen_batch_norm",
    "layer_norm",
    "native_layer_norm",
    "group_norm",
    "native_group_norm",
    "instance_norm",
    "rms_norm",
    "_fused_rms_norm",
    "native_batch_norm_backward",
    "batch_norm_backward_elemt",
    "batch_norm_backward_reduce",
    "native_layer_norm_backward",
    "native_group_norm_backward",
    "_fused_rms_norm_backward",
)
NORM_MODULES = tuple(
    f"torch.nn.{name}"
    for name in (
        "BatchNorm1d",
        "BatchNorm2d",
        "BatchNorm3d",
        "LazyBatchNorm1d",
        "LazyBatchNorm2d",
        "LazyBatchNorm3d",
        "SyncBatchNorm",
        "LayerNorm",
        "GroupNorm",
        "InstanceNorm1d",
        "InstanceNorm2d",
        "InstanceNorm3d",
        "LazyInstanceNorm1d",
        "LazyInstanceNorm2d",
        "LazyInstanceNorm3d",
        "RMSNorm",
    )
)
# Normalization built-ins a hand-write drill bans ("norm-builtins").
NORM_BUILTINS = (
    *(f"torch.nn.functional.{op}" for op in ("batch_norm", "layer_norm", "group_norm")),
    *(f"torch.nn.functional.{op}" for op in ("instance_norm", "rms_norm")),
    *_everywhere(NORM_OPS),
    *(f"{space}.{pattern}" for space in REFERENCE_NAMESPACES for pattern in NORM_PATTERNS),
    "torch._refs._normalize",
    *NORM_MODULES,
    "torch.nn.modules.batchnorm",
    "torch.nn.modules.normalization",
    "torch.nn.modules.instancenorm",
    "torch.nn.utils.fusion",
    "torch.nn.utils.fusion.fuse_conv_bn_eval",
    "torch.nn.utils.fusion.fuse_conv_bn_weights",
    "torch.nn.utils.fusion.fuse_linear_bn_eval",
    "torch.nn.utils.fusion.fuse_linear_bn_weights",
)
# Automatic differentiation, for drills whose point is the backward pass ("autograd").
AUTOGRAD = (
    "torch.autograd.grad",
    "torch.autograd.backward",
    "torch.autograd.variable.Variable._execution_engine",
    "torch._C._ImperativeEngine",
    "torch._C._EngineBase",
    "torch._C._set_grad_enabled",  # turned off, then stubbed: no graph is ever recorded
    "torch._make_dual",
    "torch._unpack_dual",
    "torch._C._enter_dual_level",
    "torch.ops.aten._make_dual",
    "torch.ops.aten._unpack_dual",
    # TorchScript can turn grad mode back on and run the engine through its own operators
    "torch.jit.script",
    "torch.jit.trace",
    "torch.jit.CompilationUnit",
    "torch._C._jit_get_operation",
    "torch._C._jit_script_compile",
    "torch.autograd.functional",
    "torch.autograd.forward_ad",
    "torch.Tensor.backward",
    "torch.func.grad",
    "torch.func.grad_and_value",
    "torch.func.vjp",
    "torch.func.jvp",
    "torch.func.jacrev",
    "torch.func.jacfwd",
    "torch.func.hessian",
    "torch.func.linearize",
)
VARIANCE_OPS = ("var", "std", "var_mean", "std_mean", "cov")
# Any ready-made variance or standard deviation ("variance-builtins").
VARIANCE_BUILTINS = (
    *_everywhere(VARIANCE_OPS),
    *(f"{space}.{op}" for space in REFERENCE_NAMESPACES for op in VARIANCE_OPS),
    "torch.Tensor.var",
    "torch.Tensor.std",
    *(f"numpy.{name}" for name in ("var", "std", "nanvar", "nanstd", "cov")),
    "numpy.ndarray.var",
    "numpy.ndarray.std",
    *(f"numpy.ma.{name}" for name in ("var", "std", "cov")),
    "numpy.ma.MaskedArray.var",
    "numpy.ma.MaskedArray.std",
    "numpy._core._methods._var",
    "numpy._core._methods._std",
    *(
        f"statistics.{name}"
        for name in ("pvariance", "variance", "pstdev", "stdev", "covariance", "_ss", "_mean_stdev")
    ),
    "statistics.NormalDist.from_samples",
    "numpy.lib._nanfunctions_impl.nanvar",
    "numpy.lib._nanfunctions_impl.nanstd",
    "numpy.lib._function_base_impl.cov",
    *(f".{name}" for name in ("var", "std", "nanvar", "nanstd", "var_mean", "std_mean", "cov")),
    *(f".{name}" for name in ("pvariance", "variance", "pstdev", "stdev")),
)
BANNED_GROUPS = {
    "norm-builtins": NORM_BUILTINS,
    "autograd": AUTOGRAD,
    "variance-builtins": VARIANCE_BUILTINS,
}
