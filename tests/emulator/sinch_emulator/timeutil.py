"""Parsing and formatting of the timestamps the Sinch hosts exchange (stdlib only)."""

import datetime
import re

# ISO 8601 in UTC, as the clients send it: 2015-06-20T11:43:10.944Z (also +00:00).
_TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|\+00:00)\Z", re.ASCII
)


def parse_timestamp(value):
    """Return the POSIX time of an x-timestamp value, or None when it is not ISO 8601 UTC."""
    match = _TIMESTAMP_RE.match(value or "")
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = (match.group(7) or "").ljust(6, "0")[:6]
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second, int(fraction), tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    return moment.timestamp()


def format_offset_utc(posix_time):
    """Format like the rented numbers' ``expires``: 2015-12-31T23:59:59+00:00."""
    moment = datetime.datetime.fromtimestamp(int(posix_time), tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def format_zulu(posix_time):
    """Format like the clients' x-timestamp, with milliseconds: 2015-06-20T11:43:10.944Z."""
    moment = datetime.datetime.fromtimestamp(posix_time, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)
