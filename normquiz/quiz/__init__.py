"""Quiz sessions: pure session logic, a prompt-toolkit UI and a plain-text mode."""
