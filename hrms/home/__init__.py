"""The shell: home page, navigation and language choice."""
