"""HRMS: personnel records, job positions and performance reviews for Vietnamese public agencies."""
