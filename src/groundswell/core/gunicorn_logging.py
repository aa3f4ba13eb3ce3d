"""gunicorn's access log without the organizers' secret links (``/o/<token>/``)."""

from gunicorn.glogging import Logger

from .log_redaction import redact


class RedactingLogger(Logger):
    """Used by ``groundswell serve``: every logged value (request line, path, referer) is redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
