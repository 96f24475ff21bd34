"""Accounts: passwords, sessions, sign-in limits, reset and API tokens, as plain Python.

The web app calls these with a SQLAlchemy session; nothing here knows about HTTP.
"""
