"""Salary (issue 7): rank and pay rule data, salary as of a date, raises and retirement."""
