"""Learning networks: the same municipalities meeting again, and what each one chose and did between meetings."""
