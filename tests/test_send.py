"""`checker send` against a real SMTP server (aiosmtpd) on loopback: plain, STARTTLS with a
self-signed certificate and a login, and SMTPS. Every recipient gets exactly their team's
findings, a refused recipient is reported, a rerun sends nothing twice, and the messages are
valid MIME with the names in Chinese encoded."""
from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import json
import re
import socket
import ssl
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEVERITIES = ("critical", "high", "medium", "low", "info")
USER, PASSWORD = "checker", "s3cret-密码"


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses it is told to."""

    def __init__(self, refuse: set[str] = frozenset()):
        self.refuse = set(refuse)
        self.received: list[tuple[list[str], email.message.EmailMessage, bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        self.received.append((list(envelope.rcpt_tos), email.message_from_bytes(raw, policy=email.policy.default), raw))
        return "250 Message accepted for delivery"

    def by_address(self) -> dict[str, email.message.EmailMessage]:
        found: dict = {}
        for rcpt, msg, _ in self.received:
            assert len(rcpt) == 1 and rcpt[0] not in found, rcpt
            found[rcpt[0]] = msg
        return found


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode("utf-8"))
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made for these tests."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def _server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def server():
    """Start an aiosmtpd server: server(handler, **options) -> port; stopped after the test."""
    started = []

    def start(handler: Inbox, **options) -> int:
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        started.append(controller)
        return port
    yield start
    for controller in started:
        controller.stop()


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    assert main(["check", "--rules", str(ROOT / "rules"), "--policy", str(ROOT / "policy"),
                 "--data", str(ROOT / "sample_data"), "--out", str(out), "--lang", "en"]) == 0
    return out


@pytest.fixture
def out(run_folder, tmp_path) -> Path:
    """A fresh copy of the run's folder: each test has its own send log."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "results.json").write_bytes((run_folder / "results.json").read_bytes())
    return folder


def _results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text("utf-8"))


def _supervisors(results: dict) -> dict[str, str]:
    return {v["supervisor_id"]: v["supervisor_name"] for v in results["violations"] if v["supervisor_id"]}


def _recipients_file(out: Path, results: dict) -> Path:
    """Each supervisor at an address of their own, in Chinese or English by turns, and a manager
    who receives the whole report."""
    lines = ["recipients:"]
    for n, (pid, name) in enumerate(sorted(_supervisors(results).items())):
        lines.append(f"  - {{id: {pid}, name: {name}, email: {pid.lower()}@example.com, lang: {('zh', 'en')[n % 2]}}}")
    lines.append("  - {name: 销售经理 王总, email: manager@example.com, receives: all, lang: zh}")
    path = out.parent / "recipients.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _send(capsys, out: Path, recipients: Path, monkeypatch, port: int, security: str = "none", **env) -> tuple:
    settings = {"HOST": "127.0.0.1", "PORT": str(port), "SECURITY": security,
                "FROM": "合规检查 <compliance@example.com>", **env}
    for name, value in settings.items():
        monkeypatch.setenv(f"CHECKER_SMTP_{name}", value)
    code = main(["send", "--out", str(out), "--recipients", str(recipients)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _fingerprints_in(html: str, known: set[str]) -> set[str]:
    return set(re.findall(r"[0-9a-f]{16}", html)) & known


def _expected_body_counts(violations: list[dict]) -> tuple[str, list[tuple[str, int]]]:
    by_severity = Counter(v["severity"] for v in violations)
    counts = ", ".join(f"{by_severity[sev]} {sev}" for sev in SEVERITIES)
    top = sorted(Counter(v["rule_id"] for v in violations).items(), key=lambda item: (-item[1], item[0]))[:3]
    return f"Open violations: {len(violations)} ({counts})", top


def test_every_supervisor_receives_exactly_their_team_and_the_manager_everything(out, server, capsys, monkeypatch):
    results = _results(out)
    inbox = Inbox()
    port = server(inbox)
    code, stdout, stderr = _send(capsys, out, _recipients_file(out, results), monkeypatch, port)
    assert code == 0, stderr
    supervisors = _supervisors(results)
    assert f"{len(supervisors) + 1} sent, 0 already sent before, 0 failed" in stdout
    received = inbox.by_address()
    assert set(received) == {f"{pid.lower()}@example.com" for pid in supervisors} | {"manager@example.com"}
    known = {v["fingerprint"] for v in results["violations"]}
    for n, (pid, name) in enumerate(sorted(supervisors.items())):
        msg = received[f"{pid.lower()}@example.com"]
        team = [v for v in results["violations"] if v["supervisor_id"] == pid]
        (attachment,) = msg.iter_attachments()
        assert attachment.get_filename() == f"report-{pid}.html"
        assert _fingerprints_in(attachment.get_content(), known) == {v["fingerprint"] for v in team}
        assert msg["To"].addresses[0].display_name == name
        body = msg.get_body(("plain",)).get_content()
        if n % 2:   # English
            opening, top = _expected_body_counts(team)
            assert opening in body
            ranked = [re.fullmatch(r"\d\. (\S+) .*: (\d+)", line) for line in body.splitlines()]
            assert [(m[1], int(m[2])) for m in ranked if m] == top
    whole = received["manager@example.com"]
    (attachment,) = whole.iter_attachments()
    assert attachment.get_filename() == "report.html"
    assert _fingerprints_in(attachment.get_content(), known) == known
    assert "http" not in whole.get_body(("plain",)).get_content()


def test_messages_are_valid_mime_with_chinese_names_encoded(out, server, capsys, monkeypatch):
    results = _results(out)
    inbox = Inbox()
    code, _, stderr = _send(capsys, out, _recipients_file(out, results), monkeypatch, server(inbox))
    assert code == 0, stderr
    for _, msg, raw in inbox.received:
        assert raw.isascii(), "7-bit message: names RFC 2047, body quoted-printable, report base64"
        assert msg.get_content_type() == "multipart/mixed" and not msg.defects
        assert all(not part.defects for part in msg.walk())
        assert msg["From"].addresses[0].display_name == "合规检查"
        raw_headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
        assert re.search(r"^To: =\?utf-8\?[bq]\?", raw_headers, re.M | re.I)
    manager = inbox.by_address()["manager@example.com"]
    assert str(manager["To"]) == "销售经理 王总 <manager@example.com>"
    assert manager["Subject"] == f"{results['run']['title']['zh']}：全部门，截至 {results['run']['as_of_date']}"


def test_refused_recipient_is_listed_the_others_get_theirs_and_a_rerun_sends_only_what_failed(
        out, server, capsys, monkeypatch):
    results = _results(out)
    recipients = _recipients_file(out, results)
    refused = sorted(_supervisors(results))[1]
    inbox = Inbox(refuse={f"{refused.lower()}@example.com"})
    port = server(inbox)
    code, stdout, stderr = _send(capsys, out, recipients, monkeypatch, port)
    assert code == 1
    total = len(_supervisors(results)) + 1
    assert f"{total - 1} sent, 0 already sent before, 1 failed" in stdout
    name = _supervisors(results)[refused]
    assert (f"not sent to {name} <{refused.lower()}@example.com> (team {refused}): refused "
            f"{refused.lower()}@example.com: 550 5.1.1 mailbox unavailable") in stderr
    assert len(inbox.received) == total - 1
    log = [json.loads(line) for line in (out / "send-log.jsonl").read_text("utf-8").splitlines()]
    assert len(log) == total - 1 and f"{refused.lower()}@example.com" not in {e["to"] for e in log}

    inbox.refuse.clear()
    code, stdout, _ = _send(capsys, out, recipients, monkeypatch, port)
    assert code == 0
    assert f"1 sent, {total - 1} already sent before, 0 failed" in stdout
    assert [rcpt for rcpt, _, _ in inbox.received[total - 1:]] == [[f"{refused.lower()}@example.com"]]
    code, stdout, _ = _send(capsys, out, recipients, monkeypatch, port)
    assert (code, len(inbox.received)) == (0, total)
    assert f"0 sent, {total} already sent before, 0 failed" in stdout


def _starttls_with_login(out, server, capsys, monkeypatch, certificate, password: str) -> tuple:
    """Send through a server that requires STARTTLS and a login; (inbox, exit code, stdout, stderr)."""
    inbox = Inbox()
    port = server(inbox, tls_context=_server_context(certificate), require_starttls=True,
                  authenticator=_authenticate, auth_required=True)
    return inbox, *_send(capsys, out, _recipients_file(out, _results(out)), monkeypatch, port, "starttls",
                         USERNAME=USER, PASSWORD=password, CA_FILE=str(certificate[0]))


def test_starttls_with_a_self_signed_certificate_and_a_login(out, server, capsys, monkeypatch, certificate):
    # The password is not ASCII: it goes as UTF-8 (AUTH PLAIN), which smtplib's login cannot do.
    inbox, code, _, stderr = _starttls_with_login(out, server, capsys, monkeypatch, certificate, PASSWORD)
    assert code == 0, stderr
    assert len(inbox.received) == len(_supervisors(_results(out))) + 1


def test_a_wrong_password_fails_every_recipient_and_says_why(out, server, capsys, monkeypatch, certificate):
    inbox, code, stdout, stderr = _starttls_with_login(out, server, capsys, monkeypatch, certificate, "wrong")
    total = len(_supervisors(_results(out))) + 1
    assert code == 1 and inbox.received == []
    assert f"0 sent, 0 already sent before, {total} failed" in stdout
    assert stderr.count("535 5.7.8 Authentication credentials invalid") == total
    assert not (out / "send-log.jsonl").exists()


def test_an_untrusted_certificate_is_not_accepted(out, server, capsys, monkeypatch, certificate):
    inbox = Inbox()
    port = server(inbox, tls_context=_server_context(certificate), require_starttls=True)
    code, _, stderr = _send(capsys, out, _recipients_file(out, _results(out)), monkeypatch, port, "starttls")
    assert code == 1 and inbox.received == []
    assert "CERTIFICATE_VERIFY_FAILED" in stderr


def test_smtps(out, server, capsys, monkeypatch, certificate):
    results = _results(out)
    inbox = Inbox()
    port = server(inbox, ssl_context=_server_context(certificate), server_hostname="127.0.0.1")
    code, _, stderr = _send(capsys, out, _recipients_file(out, results), monkeypatch, port, "ssl",
                            CA_FILE=str(certificate[0]))
    assert code == 0, stderr
    assert len(inbox.received) == len(_supervisors(results)) + 1


def test_dry_run_writes_the_messages_and_sends_nothing(out, server, capsys, monkeypatch):
    results = _results(out)
    inbox = Inbox()
    monkeypatch.setenv("CHECKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHECKER_SMTP_PORT", str(server(inbox)))
    assert main(["send", "--out", str(out), "--recipients", str(_recipients_file(out, results)), "--dry-run"]) == 0
    files = sorted((out / "outbox").glob("*.eml"))
    supervisors = sorted(_supervisors(results))
    assert [f.name for f in files] == [f"{n:03d}-{pid}-{pid.lower()}@example.com.eml"
                                       for n, pid in enumerate(supervisors, start=1)] + [
        f"{len(supervisors) + 1:03d}-all-manager@example.com.eml"]
    first = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert first["From"].addresses[0].addr_spec == "checker@localhost"
    assert inbox.received == [] and not (out / "send-log.jsonl").exists()
