"""The `p` key: run a question's verify snippet in the sandbox and show code and result.

The proof worker (torch) starts only when a learner asks for a proof, so a plain quiz
still never loads torch. Code and its output are shown as code blocks: never reflowed; a
line too long for the terminal is cut with a visible mark (``layout.fold_code``).
"""

from __future__ import annotations

from normquiz.bank.schema import Question
from normquiz.quiz.layout import Fragments
from normquiz.quiz.markdown import CODE_BLOCK
from normquiz.sandbox.client import SandboxWorker


class Prover:
    def __init__(self) -> None:
        self._worker: SandboxWorker | None = None

    def prove(self, question: Question) -> Fragments:
        if not question.verify:
            return [("class:muted", "This question has no verify snippet to run.\n")]
        from normquiz.authoring.proofs import proof_worker, run_verify, verify_problem

        if self._worker is None:
            self._worker = proof_worker()
        result = run_verify(self._worker, question.verify, timeout=60.0)
        problem = verify_problem(question, result)
        output = result.output.head if result.output else ""
        fragments = proof_fragments(question.verify, output, result.answer, problem)
        if not question.proved and not problem:  # an illustration shows, it does not prove
            fragments[-1] = ("class:muted", "The snippet ran: it illustrates the answer.\n")
        return fragments

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()


def proof_fragments(code: str, output: str, answer: object, problem: str | None) -> Fragments:
    fragments: Fragments = [("class:heading", "Proof (run with torch):\n"), *code_lines(code)]
    if output.strip():
        fragments += [("class:heading", "Output:\n"), *code_lines(output)]
    if answer is not None:
        fragments += [("class:heading", "Result:\n"), *code_lines(f"answer = {answer}")]
    if problem:
        fragments.append(("class:bad", f"The proof failed: {problem}\n"))
    else:
        fragments.append(("class:good", "Every assertion held: the answer is proved.\n"))
    return fragments


def code_lines(text: str) -> Fragments:
    """``text`` as a code block: one line each, indented, never reflowed."""
    return [(CODE_BLOCK, f"    {line}\n") for line in text.rstrip().splitlines()]
