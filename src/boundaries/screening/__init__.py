"""Text screening: normalisation, detectors (one module per family), the rule registry, the engine."""
