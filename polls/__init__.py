"""Opinion polls: questions, anonymous votes, tallies and the before-and-after comparison."""
