"""The mail server: its settings from a file (checker/schemas/smtp.schema.json) and environment
variables, never the command line (a password there is seen by every user of the machine), and
one message handed over per connection."""
from __future__ import annotations

import base64
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from ..problems import UserError, shown_path
from ..schema_check import load_valid

ENV_PREFIX = "CHECKER_SMTP_"
_SETTINGS = ("host", "port", "security", "username", "password", "from", "ca_file")
_DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    timeout: float = 30.0

    @property
    def sender_address(self) -> str:
        return getaddresses([self.sender])[0][1]


def load_settings(path: Path | None, env: Mapping[str, str] = os.environ) -> SmtpSettings:
    """The settings of the file (when given), each overridden by its CHECKER_SMTP_* variable."""
    given: dict = dict(load_valid(path, shown_path(path), "smtp", empty={})) if path else {}
    if "password_env" in given:
        name = given.pop("password_env")
        if name not in env:
            raise UserError(f"{shown_path(path)}: password_env names '{name}', which is not set; "
                            f"export {name}=... before checker send")
        given["password"] = env[name]
    given.update({name: env[ENV_PREFIX + name.upper()] for name in _SETTINGS if env.get(ENV_PREFIX + name.upper())})
    return _settings(given, shown_path(path) if path else "the environment")


def _settings(given: dict, source: str) -> SmtpSettings:
    missing = [name for name in ("host", "from") if not given.get(name)]
    if missing:
        raise UserError(f"no mail server {' and no '.join(missing)} in {source}: set "
                        + ", ".join(f"{ENV_PREFIX}{m.upper()}" for m in missing) + " or pass --smtp-config FILE")
    security = str(given.get("security", "starttls"))
    if security not in _DEFAULT_PORT:
        raise UserError(f"{ENV_PREFIX}SECURITY '{security}' is not one of starttls, ssl, none")
    if security == "none" and given.get("password"):
        raise UserError("security: none would send the password unencrypted; use starttls or ssl")
    try:
        port = int(given.get("port", _DEFAULT_PORT[security]))
    except ValueError:
        raise UserError(f"{ENV_PREFIX}PORT '{given['port']}' is not a port number") from None
    return SmtpSettings(host=str(given["host"]), port=port, security=security, sender=str(given["from"]),
                        username=given.get("username") or None, password=given.get("password") or None,
                        ca_file=given.get("ca_file") or None, timeout=float(given.get("timeout", 30)))


def deliver(settings: SmtpSettings, message: EmailMessage, to: str) -> None:
    """Hand one message for one address to the server; smtplib's exceptions (and OSError) say why not."""
    context = ssl.create_default_context(cafile=settings.ca_file)
    if settings.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with server:
        if settings.security == "starttls":
            server.starttls(context=context)
        if settings.username:
            _login(server, settings.username, settings.password or "")
        server.send_message(message, from_addr=settings.sender_address, to_addrs=[to])


def _login(server: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib sends credentials as ASCII only; others go as AUTH PLAIN in UTF-8 (RFC 4616)."""
    if (username + password).isascii():
        server.login(username, password)
        return
    server.ehlo_or_helo_if_needed()
    token = base64.b64encode(b"\0" + username.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, reply = server.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def failure_reason(exc: Exception) -> str:
    """A failed delivery in words: the server's own reply when it gave one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"refused {addr}: {code} {_text(reply)}" for addr, (code, reply) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
