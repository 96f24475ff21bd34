"""Detectors: one module per family, one interface (:class:`~.base.Detector`)."""
