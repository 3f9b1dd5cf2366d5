"""Organisation tree: units with effective dates and a history of renames and moves."""
