"""The learner's progress: SQLite store with migrations, FSRS scheduling, stats."""
