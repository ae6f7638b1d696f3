"""privacy_coaching (filled by its owner)."""
