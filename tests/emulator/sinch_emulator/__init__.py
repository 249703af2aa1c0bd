"""A strict stand-in for the three Sinch number-administration hosts (userapi, api, portalapi).

Internal test tooling of the sinch.numbers collection; see tests/emulator/README.md.
"""

__version__ = "0.1.0"
