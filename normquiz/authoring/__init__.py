"""For bank authors: lint, lint --exec (executable answers), and the proof runner."""
