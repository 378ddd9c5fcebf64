"""Agenda items and the live timeline of the day."""
