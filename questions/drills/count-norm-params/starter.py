"""Drill count-norm-params: count a normalization layer's parameters and buffers.

Write count_norm_params(spec) -> (params, buffers)
  spec is a dict describing a torch.nn layer and its arguments, one of:
    {"layer": "BatchNorm1d"|"BatchNorm2d"|"BatchNorm3d", "num_features", "affine", "track_running_stats"}
    {"layer": "InstanceNorm1d"|"InstanceNorm2d", "num_features", "affine", "track_running_stats"}
    {"layer": "LayerNorm", "normalized_shape": [..], "elementwise_affine", "bias"}
    {"layer": "GroupNorm", "num_groups", "num_channels", "affine"}
    {"layer": "RMSNorm", "normalized_shape": [..], "elementwise_affine"}
  Return the number of elements in the layer's learnable parameters and in its buffers,
  computed from the description (do not build the module).
Check with:  normquiz check count-norm-params
"""


def count_norm_params(spec):
    raise NotImplementedError("count_norm_params is not written yet")
