"""The sub-commands of `boundaries`, one module per capability; cli.py gathers them."""
