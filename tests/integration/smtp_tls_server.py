#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A mail server for the posture tests that speaks just enough SMTP for a
STARTTLS probe: the greeting, EHLO (with or without STARTTLS), STARTTLS with
a chosen certificate and TLS versions, and QUIT. Any other command is
refused; MAIL is answered 550 and logged, so a test can prove that no mail
was attempted.

  smtp_tls_server.py --listen ADDRESS:PORT [--cert PEM --key PEM]
                     [--tls-versions 1.0|1.2|1.2-1.3] [--log FILE]

Without --cert it offers no STARTTLS. Runs until killed. Writes "ready" to
stdout once it listens.
"""

import argparse
import socket
import ssl
import sys
import threading

VERSIONS = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1, "1.2": ssl.TLSVersion.TLSv1_2,
            "1.3": ssl.TLSVersion.TLSv1_3}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--tls-versions", default="1.2-1.3")
    parser.add_argument("--log")
    args = parser.parse_args()
    host, port = args.listen.rsplit(":", 1)
    context = None
    if args.cert:
        low, _, high = args.tls_versions.partition("-")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = VERSIONS[low]
        context.maximum_version = VERSIONS[high or low]
        if VERSIONS[low] < ssl.TLSVersion.TLSv1_2:
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        context.load_cert_chain(args.cert, args.key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(port)))
    listener.listen(16)
    print("ready", flush=True)
    lock = threading.Lock()

    def log(line):
        if args.log:
            with lock, open(args.log, "a") as out:
                out.write(line + "\n")

    def serve(connection):
        stream = connection
        try:
            stream.settimeout(20)
            stream.sendall(b"220 mx.test ESMTP posture test server\r\n")
            buffer = b""
            while True:
                while b"\r\n" not in buffer:
                    chunk = stream.recv(4096)
                    if not chunk:
                        return
                    buffer += chunk
                line, _, buffer = buffer.partition(b"\r\n")
                command = line.decode("ascii", "replace").strip()
                verb = command.split(" ")[0].upper()
                log(command)
                if verb in ("EHLO", "HELO"):
                    offer = context is not None and not isinstance(stream, ssl.SSLSocket)
                    stream.sendall(b"250-mx.test\r\n" + (b"250-STARTTLS\r\n" if offer else b"") + b"250 8BITMIME\r\n")
                elif verb == "STARTTLS" and context is not None and not isinstance(stream, ssl.SSLSocket):
                    stream.sendall(b"220 2.0.0 go ahead\r\n")
                    stream = context.wrap_socket(stream, server_side=True)
                    buffer = b""
                elif verb == "QUIT":
                    stream.sendall(b"221 2.0.0 bye\r\n")
                    return
                elif verb == "MAIL":
                    stream.sendall(b"550 5.7.1 this server takes no mail\r\n")
                else:
                    stream.sendall(b"502 5.5.2 not implemented\r\n")
        except (OSError, ssl.SSLError) as error:
            log("error: %s" % error)
        finally:
            try:
                stream.close()
            except OSError:
                pass

    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve, args=(connection,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
