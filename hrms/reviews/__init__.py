"""Output-based performance reviews (issue 6): evaluation schemes and their scoring."""
