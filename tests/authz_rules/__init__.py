"""Each capability's rows of the authorisation matrix (see tests/authz.py)."""
