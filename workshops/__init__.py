"""The event itself and who takes part: events, networks, municipalities, catalogues, choices."""
