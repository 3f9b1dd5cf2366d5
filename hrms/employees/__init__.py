"""Personnel dossiers (form 2C), their decisions ledger, training and family."""
