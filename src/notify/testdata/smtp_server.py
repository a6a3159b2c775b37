#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An SMTP server on loopback for the notify tests (Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a port the kernel chooses and writes it to
DIR/port once it accepts connections. With --cert and --key it offers
STARTTLS and requires it before MAIL; without them it offers no TLS at all.
Each MAIL, RCPT and DATA command is appended to DIR/events.jsonl with
whether TLS was up; each accepted message is written to DIR/mail-N.json,
decoded by Python's email package (an implementation independent of the
one under test). Stopped with SIGTERM.
"""
import argparse
import asyncio
import json
import os
import socket
import ssl

from email import policy
from email.parser import BytesParser

from aiosmtpd.smtp import SMTP, AuthResult


def write_atomically(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        out.write(text)
    os.rename(path + ".tmp", path)


class Handler:
    def __init__(self, out_dir, reject_domain):
        self.out_dir = out_dir
        self.reject_domain = reject_domain
        self.count = 0

    def event(self, session, command, argument):
        with open(os.path.join(self.out_dir, "events.jsonl"), "a", encoding="utf-8") as out:
            out.write(json.dumps({"command": command, "argument": argument, "tls": session.ssl is not None}) + "\n")

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.event(session, "MAIL", address)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.event(session, "RCPT", address)
        if self.reject_domain and address.lower().endswith("@" + self.reject_domain):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.event(session, "DATA", "")
        raw = envelope.original_content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        body = message.get_body(preferencelist=("plain",))
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "raw": raw.decode("ascii", errors="replace"),
            "headers": [[name, str(value)] for name, value in message.items()],
            "subject": str(message["Subject"]),
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "transfer_encoding": message.get("Content-Transfer-Encoding", ""),
            # MIME text is CRLF on the wire; a reader sees lines.
            "body": body.get_content().replace("\r\n", "\n") if body is not None else None,
            "defects": [type(defect).__name__ for defect in message.defects],
        }
        write_atomically(os.path.join(self.out_dir, "mail-%d.json" % self.count), json.dumps(record))
        return "250 2.0.0 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--reject-domain")
    args = parser.parse_args()

    tls_context = None
    if args.cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.cert, args.key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (args.user is not None and auth_data.login == args.user.encode()
              and auth_data.password == args.password.encode())
        return AuthResult(success=ok, handled=False)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Handler(args.dir, args.reject_domain)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def factory():
        return SMTP(handler, hostname="localhost", tls_context=tls_context,
                    require_starttls=tls_context is not None,
                    authenticator=authenticate if args.user else None,
                    auth_require_tls=True, loop=loop)

    loop.run_until_complete(loop.create_server(factory, sock=listener))
    write_atomically(os.path.join(args.dir, "port"), str(listener.getsockname()[1]))
    loop.run_forever()


if __name__ == "__main__":
    main()
