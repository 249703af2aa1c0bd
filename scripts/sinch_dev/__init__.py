"""The runner of sinch.numbers' development commands (test, main, bench, setup, docs); see scripts/dev.py.

Standard library only until .venv exists (pythons, venvs); the rest runs with .venv's Python.
"""
