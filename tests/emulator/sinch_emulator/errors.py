"""API errors: one exception type carrying a Sinch errorCode (stdlib only)."""


class ApiError(Exception):
    """An error answer: HTTP status = the first three digits of ``error_code``."""

    def __init__(self, error_code, message, headers=None):
        super().__init__("%d %s" % (error_code, message))
        self.error_code = int(error_code)
        self.message = message
        self.headers = dict(headers or {})

    @property
    def status(self):
        """The HTTP status that goes with the error code (40001 -> 400)."""
        return status_for(self.error_code)

    def body(self):
        """The JSON-serialisable error body."""
        return error_body(self.error_code, self.message)


def status_for(error_code):
    """Return the HTTP status of an errorCode: its first three digits."""
    return int(str(int(error_code))[:3])


def error_body(error_code, message):
    """Return the error body the Sinch hosts use."""
    return {"errorCode": int(error_code), "message": message}


def bad_request(message):
    """ParameterValidation (40001)."""
    return ApiError(40001, message)


class FixtureError(ValueError):
    """A fixture (YAML or JSON data) that does not follow the schema."""
