"""Running learner code safely from mistakes: a forked child with limits, a warm worker."""
