"""Database backends with the project's own adjustments."""
