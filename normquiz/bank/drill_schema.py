"""The drill manifest schema: drills are data (prompt, starter, hints, cases, mistakes).

Validated by the bank loader like questions; grading them is the business of
``normquiz.drills``, which this module does not import."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from normquiz.bank.fields import NonEmptyText, Number, Slug, to_list
from normquiz.bank.schema import AuthorModel, BankItem

# Normalization built-ins a hand-write drill bans by default ("norm-builtins").
NORM_BUILTINS = (
    "torch.nn.functional.batch_norm",
    "torch.batch_norm",
    "torch.native_batch_norm",
    "torch.nn.BatchNorm1d",
    "torch.nn.BatchNorm2d",
    "torch.nn.BatchNorm3d",
    "torch.nn.functional.layer_norm",
    "torch.layer_norm",
    "torch.native_layer_norm",
    "torch.nn.LayerNorm",
    "torch.nn.functional.group_norm",
    "torch.group_norm",
    "torch.native_group_norm",
    "torch.nn.GroupNorm",
    "torch.nn.functional.instance_norm",
    "torch.instance_norm",
    "torch.nn.InstanceNorm1d",
    "torch.nn.InstanceNorm2d",
    "torch.nn.InstanceNorm3d",
    "torch.nn.functional.rms_norm",
    "torch.rms_norm",
    "torch.nn.RMSNorm",
    "torch.nn.utils.fusion",
    "torch.nn.utils.fusion.fuse_conv_bn_eval",
    "torch.nn.utils.fusion.fuse_conv_bn_weights",
    "torch.nn.utils.fusion.fuse_linear_bn_eval",
    "torch.nn.utils.fusion.fuse_linear_bn_weights",
)
AUTOGRAD = (
    "torch.autograd.grad",
    "torch.autograd.backward",
    "torch.Tensor.backward",
    "torch.func.grad",
    "torch.func.vjp",
    "torch.autograd.functional.vjp",
)
BANNED_GROUPS = {"norm-builtins": NORM_BUILTINS, "autograd": AUTOGRAD}


class Tolerance(AuthorModel):
    atol: Annotated[Number, Field(ge=0)]
    rtol: Annotated[Number, Field(ge=0)]


class Mistake(AuthorModel):
    """A known wrong implementation; a submission matching it everywhere gets its id."""

    id: Slug
    explanation: NonEmptyText
    file: NonEmptyText  # relative to the bank directory holding the manifest


class Drill(BankItem):
    """A coding drill: what to write, how it is graded, and the mistakes it recognizes."""

    title: NonEmptyText
    function: NonEmptyText  # the name the learner's file must define
    protocol: Literal["function", "train_steps", "conv_bn", "bn_module", "exception_name"] = (
        "function"
    )
    starter: NonEmptyText  # relative to the manifest's directory
    hints: Annotated[list[NonEmptyText], Field(min_length=2)]
    banned: list[NonEmptyText] = Field(default_factory=list)
    reference: Slug  # a name in normquiz.drills.references
    cases: Slug  # a name in normquiz.drills.cases
    tolerances: dict[Literal["float32", "float64"], Tolerance]
    mistakes: Annotated[list[Mistake], Field(min_length=1)]
    solution: NonEmptyText  # relative to the manifest, like every drill file

    _single_banned = field_validator("banned", mode="before")(to_list)

    @property
    def kind(self) -> str:
        return "drill"

    @property
    def type(self) -> str:
        return "drill"

    def banned_names(self) -> list[str]:
        """The banned dotted names, with groups such as norm-builtins expanded."""
        names: list[str] = []
        for entry in self.banned:
            names.extend(BANNED_GROUPS.get(entry, (entry,)))
        return list(dict.fromkeys(names))
