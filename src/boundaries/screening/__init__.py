"""Text screening: normalisation, one detector module per family, the rule registry, the engine."""
