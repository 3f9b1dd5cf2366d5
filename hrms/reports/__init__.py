"""Statistics of the personnel in scope and the statistical reports built on them."""
