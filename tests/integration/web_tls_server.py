#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A web server for the posture tests: on one loopback address it answers
plain HTTP and HTTPS as a configuration file says, so that a test can set up
a good and a weak web site: TLS versions and certificate, the answer on
plain HTTP (a redirect or content, or no listener at all), the
Strict-Transport-Security header, and files such as
/.well-known/security.txt and /.well-known/mta-sts.txt. Every request is
logged ("https GET HOST /path User-Agent"; "https - handshake only" for a
connection without a request), so a test can prove what was asked.

  web_tls_server.py --address ADDRESS --http-port N --https-port N --config JSON [--log FILE]

JSON: {"cert": PEM, "key": PEM, "tls_versions": "1.2-1.3" | "1.0",
       "http": "redirect" | "content" | "redirect-http" | null,
       "hsts": "max-age=31536000" | null,
       "files": {"/path": "body"}}
Runs until killed. Writes "ready" to stdout once it listens.
"""

import argparse
import json
import socket
import ssl
import sys
import threading

VERSIONS = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1, "1.2": ssl.TLSVersion.TLSv1_2,
            "1.3": ssl.TLSVersion.TLSv1_3}


def read_request(stream):
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 16384:
        chunk = stream.recv(4096)
        if not chunk:
            break
        data += chunk
    head = data.decode("latin-1").split("\r\n")
    parts = head[0].split(" ")
    agent = next((line.split(":", 1)[1].strip() for line in head[1:] if line.lower().startswith("user-agent:")), "")
    host = next((line.split(":", 1)[1].strip() for line in head[1:] if line.lower().startswith("host:")), "")
    return (parts[0], parts[1], host, agent) if len(parts) >= 2 else ("?", "?", host, agent)


def answer(status, reason, headers, body=b""):
    lines = ["HTTP/1.1 %d %s" % (status, reason), "Content-Length: %d" % len(body), "Connection: close"]
    lines += ["%s: %s" % item for item in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--https-port", type=int, required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--log")
    args = parser.parse_args()
    with open(args.config) as source:
        config = json.load(source)
    low, _, high = config.get("tls_versions", "1.2-1.3").partition("-")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = VERSIONS[low]
    context.maximum_version = VERSIONS[high or low]
    if VERSIONS[low] < ssl.TLSVersion.TLSv1_2:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    context.load_cert_chain(config["cert"], config["key"])
    lock = threading.Lock()

    def log(line):
        if args.log:
            with lock, open(args.log, "a") as out:
                out.write(line + "\n")

    def serve(connection, https):
        try:
            connection.settimeout(20)
            stream = context.wrap_socket(connection, server_side=True) if https else connection
            method, path, host, agent = read_request(stream)
            if method == "?":  # a handshake without a request (a probe of the TLS versions)
                log("%s - handshake only" % ("https" if https else "http"))
                return
            log("%s %s %s %s %s" % ("https" if https else "http", method, host, path, agent))
            if not https:
                mode = config.get("http")
                if mode == "redirect":
                    stream.sendall(answer(301, "Moved Permanently", [("Location", "https://%s/" % host.split(":")[0])]))
                elif mode == "redirect-http":
                    stream.sendall(answer(302, "Found", [("Location", "http://www.%s/" % host.split(":")[0])]))
                else:
                    stream.sendall(answer(200, "OK", [("Content-Type", "text/html")], b"<p>velkommen</p>"))
                return
            headers = [("Strict-Transport-Security", config["hsts"])] if config.get("hsts") else []
            files = config.get("files", {})
            if path in files:
                stream.sendall(answer(200, "OK", headers + [("Content-Type", "text/plain; charset=utf-8")],
                                      files[path].encode()))
            elif path == "/":
                stream.sendall(answer(200, "OK", headers + [("Content-Type", "text/html")], b"<p>velkommen</p>"))
            else:
                stream.sendall(answer(404, "Not Found", headers))
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                connection.close()
            except OSError:
                pass

    def listen(port, https):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((args.address, port))
        listener.listen(16)
        return listener

    listeners = [(listen(args.https_port, True), True)]
    if config.get("http"):
        listeners.append((listen(args.http_port, False), False))

    def accept_loop(listener, https):
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=serve, args=(connection, https), daemon=True).start()

    for listener, https in listeners:
        threading.Thread(target=accept_loop, args=(listener, https), daemon=True).start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
