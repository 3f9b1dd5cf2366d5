"""Job-position frameworks and competency profiles. Imports only ``hrms.core``."""
