"""Naming the mistakes a failing submission makes, output by output.

Runs in the grading worker, on plain arrays: the submission's outputs, PyTorch's reference
outputs, the bank's mistake files' outputs (computed by the caller in a sandboxed child; no
mistake file is imported here) and the computed families: candidates that trusted normquiz
numpy code computes from each case's inputs (groupings of the elements that share a
statistic, divisors n - 1 and n + 1, eps placements, centering, gamma and beta, backward
formulas, running-statistics updates, folding forms), alone and combined.

The rule:

- A *unit* is one output of one case (``out``, ``step2.running_var``, ``dgamma``, ...). Only
  cases where the submission returned as many outputs as expected are analysed; a case that
  raised or returned another number of outputs is explained by its own case row. A unit
  *fails* when the submission differs from the reference beyond the drill's tolerance, as
  grading decides.
- A candidate is *defined* at a unit when its output there is finite and, for float32
  inputs, the same computed in float32 as in float64 (else float32 rounding decides it).
  Where a candidate raised or is not defined it says nothing: such units neither confirm nor
  contradict it (so a learner's guard against N == 1 hides nothing).
- A candidate is *consistent* when at every analysed unit where it is defined and differs
  from the reference, the submission matches it (same tolerance; NaN matches NaN): a mistake
  is never named unless its whole signature is in the submission.
- A candidate *explains* a failing unit where the submission matches it and it differs from
  the reference. It needs *evidence*: an explained failing unit where some of its finite,
  settled values differ from the reference (matching NaN alone is no evidence; neither is a
  degenerate grouping where every element is its own group).
- Each consistent candidate with evidence stands for one or more mistake ids (a family
  member may combine several in one output, e.g. wrong axes with n - 1). Named are the ids
  shared by every smallest set of ids whose candidates together explain all the failing
  units any candidate explains (more than 14 ids in play: none). An id's explanation is the
  bank's when its file explains all the computed candidates do, else computed text saying
  what the code did and what is right.
- Nothing is silently attributed. Failing units no named mistake explains are listed in an
  ``unexplained`` entry; failing units where the named mistakes give nothing to compare
  (not defined there, or a gradient or eval output derived by autograd and not recomputed)
  in an ``unchecked`` entry. When no mistake is named there is no diagnosis at all.
"""

from normquiz.drills.diagnosis.matching import MistakeOutputs, diagnose

__all__ = ["MistakeOutputs", "diagnose"]
