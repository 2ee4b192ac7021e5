"""The `p` key: run a question's verify snippet in the sandbox and show code and result.

The grading worker (torch) starts only when a learner asks for a proof, so a plain quiz
still never loads torch.
"""

from __future__ import annotations

from normquiz.bank.schema import Question
from normquiz.quiz.render import Fragments


class Prover:
    def __init__(self) -> None:
        self._worker = None

    def prove(self, question: Question) -> Fragments:
        if not question.verify:
            return [("class:muted", "This question has no verify snippet to run.\n")]
        from normquiz.bank.execute import run_verify, verify_problem
        from normquiz.sandbox.client import GradingWorker

        if self._worker is None:
            self._worker = GradingWorker()
        result = run_verify(self._worker, question.verify, timeout=60.0)
        return proof_fragments(question, result, verify_problem(question, result))

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()


def proof_fragments(question: Question, result: dict, problem: str | None) -> Fragments:
    fragments: Fragments = [("class:heading", "Proof (run with torch):\n")]
    fragments += [("class:code", f"    {line}\n") for line in question.verify.rstrip().splitlines()]
    output = (result.get("output") or {}).get("head", "")
    if output.strip():
        fragments += [("class:heading", "Output:\n"), ("", output.rstrip() + "\n")]
    if "answer" in result and result["answer"] is not None:
        fragments.append(("", f"answer = {result['answer']}\n"))
    if problem:
        fragments.append(("class:bad", f"The proof failed: {problem}\n"))
    else:
        fragments.append(("class:good", "Every assertion held: the answer is proved.\n"))
    return fragments
