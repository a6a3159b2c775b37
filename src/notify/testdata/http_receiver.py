#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An HTTP(S) receiver on loopback for the webhook and SMS tests.

Listens on 127.0.0.1 on a port the kernel chooses and writes it to
DIR/port. With --cert and --key it speaks https. Every request is written
to DIR/request-N.json: method, path, headers, body, the body parsed as JSON
or as a form when its content type says so, and, with --secret-file,
whether the X-Dannevirke signature verifies -- checked here with Python's
hmac, independently of the C++ implementation under test.

Answers by path: /ok 200; /fail 500; /redirect 302 to /ok; /big 200 with
1 MiB of body; /slow 200 after 3 s; anything else 200.
"""
import argparse
import hashlib
import hmac
import json
import os
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def write_atomically(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        out.write(text)
    os.rename(path + ".tmp", path)


def verify_dannevirke(secret, headers, body, window=300):
    """The receiver's check exactly as docs/notify.md gives it."""
    timestamp = headers.get("X-Dannevirke-Timestamp", "")
    signature = headers.get("X-Dannevirke-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs(time.time() - int(timestamp)) > window:
        return False
    expected = "v1=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


class Receiver(BaseHTTPRequestHandler):
    lock = threading.Lock()
    count = 0

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        record = {
            "method": self.command,
            "path": self.path,
            "query": urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query),
            "headers": [[name, value] for name, value in self.headers.items()],
            "body": body.decode("utf-8", errors="replace"),
        }
        if content_type.startswith("application/json"):
            record["json"] = json.loads(body.decode("utf-8"))
        elif content_type.startswith("application/x-www-form-urlencoded"):
            record["form"] = urllib.parse.parse_qs(body.decode("ascii"), strict_parsing=True)
        if self.server.secret is not None:
            record["signature_ok"] = verify_dannevirke(self.server.secret, self.headers, body)
        with Receiver.lock:
            Receiver.count += 1
            number = Receiver.count
        write_atomically(os.path.join(self.server.out_dir, "request-%d.json" % number), json.dumps(record))

        path = urllib.parse.urlsplit(self.path).path
        if path == "/fail":
            self.answer(500, b"no")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/big":
            self.answer(200, b"x" * (1024 * 1024))
        elif path == "/slow":
            time.sleep(3)
            self.answer(200, b"late")
        else:
            self.answer(200, b"ok")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_POST = handle_any
    do_PUT = handle_any
    do_GET = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--secret-file")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.daemon_threads = True
    server.out_dir = args.dir
    server.secret = None
    if args.secret_file:
        with open(args.secret_file, "rb") as source:
            server.secret = source.read()
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    write_atomically(os.path.join(args.dir, "port"), str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
