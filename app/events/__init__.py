"""Events (themed online trade fairs) and their halls."""
