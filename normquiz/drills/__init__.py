"""Coding drills: specs, case generation, torch references, known mistakes, grading."""
