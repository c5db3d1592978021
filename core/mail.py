"""An SMTP backend that keeps what the mail server answered, for letters sent as evidence.

Django's SMTP backend hands the message to `smtplib.SMTP.sendmail`, which discards the server's
replies. This one speaks the transaction itself (MAIL, RCPT, DATA) over Django's connection (TLS,
authentication and timeouts as configured), sends exactly the bytes it is given, and records
every reply on the message as `smtp_replies`. It also records how far the transaction got
(`smtp_phase`): a failure before DATA is definite (nothing was handed over); a connection lost or
timed out during or after DATA leaves the outcome unknown, and must not be retried blindly.
"""

from __future__ import annotations

import contextlib
import email.policy
import smtplib

from django.core.mail.backends.smtp import EmailBackend

PHASE_CONNECT = "connect"
PHASE_ENVELOPE = "envelope"
PHASE_DATA = "data"
PHASE_DONE = "done"


def message_bytes(message) -> bytes:
    """The bytes of a Django EmailMessage as they go on the wire (CRLF line ends)."""
    return message.message(policy=email.policy.SMTP).as_bytes()


class EvidenceSMTPBackend(EmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message.smtp_phase = PHASE_CONNECT
            message.smtp_replies = []
        return super().send_messages(email_messages)

    def _send(self, email_message) -> bool:
        if not email_message.recipients():
            return False
        from_email = self.prep_address(email_message.from_email)
        recipients = [self.prep_address(address) for address in email_message.recipients()]
        data = getattr(email_message, "wire_bytes", None) or message_bytes(email_message)
        replies = email_message.smtp_replies
        connection = self.connection
        email_message.smtp_phase = PHASE_ENVELOPE
        connection.ehlo_or_helo_if_needed()
        code, text = connection.mail(from_email)
        replies.append(_reply("MAIL FROM", from_email, code, text))
        if code != 250:
            _reset(connection)
            raise smtplib.SMTPSenderRefused(code, text, from_email)
        refused = {}
        for recipient in recipients:
            code, text = connection.rcpt(recipient)
            replies.append(_reply("RCPT TO", recipient, code, text))
            if code not in (250, 251):
                refused[recipient] = (code, text)
        if len(refused) == len(recipients):
            _reset(connection)
            raise smtplib.SMTPRecipientsRefused(refused)
        email_message.smtp_phase = PHASE_DATA
        code, text = connection.data(data)
        replies.append(_reply("DATA", f"{len(data)} bytes", code, text))
        if code != 250:
            _reset(connection)
            raise smtplib.SMTPDataError(code, text)
        email_message.smtp_phase = PHASE_DONE
        email_message.smtp_refused = refused
        return True


def _reply(command: str, argument: str, code: int, text: bytes) -> dict[str, object]:
    return {
        "command": command,
        "argument": argument,
        "code": code,
        "text": text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text),
    }


def _reset(connection) -> None:
    with contextlib.suppress(smtplib.SMTPException):
        connection.rset()
