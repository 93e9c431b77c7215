"""Generic helpers with no domain knowledge."""
