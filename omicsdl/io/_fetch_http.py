"""Requests to the GDC ``files`` endpoint, bounded: retries, body size, time per request.

A server given with ``--base-url`` (a mirror, a proxy, a test server) is not
trusted: an answer larger than :data:`MAX_JSON_BYTES` is refused instead of
being read into memory, a 5xx answer or a dropped connection is retried a
fixed number of times with back-off, and any other failure ends in one
:class:`~omicsdl.InputError` naming the URL.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from omicsdl._core._errors import InputError

__all__ = ["MAX_JSON_BYTES", "post_files"]

logger = logging.getLogger(__name__)

#: largest ``files`` endpoint answer read (a page of 1,000 records with every field is ~2 MB)
MAX_JSON_BYTES = 64 * 2**20
_RETRIES = 3


class _Retry(Exception):
    pass


def _read_json(response: Any, url: str) -> Any:
    length = response.headers.get("Content-Length")
    if length is not None and length.isdigit() and int(length) > MAX_JSON_BYTES:
        msg = f"the files endpoint answered with {int(length):,} bytes (more than {MAX_JSON_BYTES:,})"
        raise InputError(msg, source=url, fix="check --base-url: this does not look like the GDC API")
    body = bytearray()
    for block in response.iter_content(1 << 16):
        body += block
        if len(body) > MAX_JSON_BYTES:
            msg = f"the files endpoint sent more than {MAX_JSON_BYTES:,} bytes"
            raise InputError(msg, source=url, fix="check --base-url: this does not look like the GDC API")
    try:
        return json.loads(bytes(body))
    except ValueError as err:
        msg = f"the files endpoint did not answer with JSON ({err})"
        raise InputError(msg, source=url, fix="check --base-url (it must be the GDC API root)") from err


def post_files(base_url: str, payload: dict[str, Any], *, timeout: float) -> dict[str, Any]:
    """POST ``payload`` to ``<base_url>/files``; return the decoded JSON object.

    Parameters
    ----------
    base_url
        GDC API root.
    payload
        The request (``filters``, ``fields``, ``size``, ``from``, ...).
    timeout
        Seconds to connect and seconds without data, per attempt.

    Raises
    ------
    InputError
        After the retries, or at once for a 4xx answer, an answer that is not
        a JSON object, or one larger than :data:`MAX_JSON_BYTES`.
    """
    import requests

    url = f"{base_url.rstrip('/')}/files"
    last = "no attempt made"
    for attempt in range(_RETRIES + 1):
        if attempt:
            time.sleep(0.5 * 2 ** (attempt - 1))
        try:
            with requests.post(url, json=payload, timeout=(timeout, timeout), stream=True) as response:
                if response.status_code >= 500:
                    last = f"HTTP {response.status_code}"
                    raise _Retry
                if response.status_code >= 400:
                    msg = f"the files endpoint refused the request (HTTP {response.status_code})"
                    raise InputError(
                        msg, source=url, fix="check --base-url and the query fields (project, data type)"
                    )
                answer = _read_json(response, url)
        except _Retry:
            logger.info("%s: %s; retrying (%d/%d)", url, last, attempt + 1, _RETRIES)
            continue
        except requests.RequestException as err:
            last = f"{type(err).__name__}: {err}"
            logger.info("%s: %s; retrying (%d/%d)", url, last, attempt + 1, _RETRIES)
            continue
        if not isinstance(answer, dict):
            msg = "the files endpoint answered with JSON that is not an object"
            raise InputError(msg, source=url, fix="check --base-url (it must be the GDC API root)")
        return answer
    msg = f"the GDC files endpoint did not answer ({last})"
    raise InputError(msg, source=url, fix="check the network and --base-url, then run again")
