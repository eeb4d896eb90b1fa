"""`make bench`: Newsroom's benchmark, plain scripts run with ``python -m bench`` (see run.py)."""
