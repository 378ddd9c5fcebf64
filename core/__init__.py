"""Shared plumbing: settings, the database engine, time and translation."""
