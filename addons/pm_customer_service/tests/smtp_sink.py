# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real local SMTP endpoints for the tests of the mail queue (R-MAIL-1): a closed
port (connection refused), a port that accepts and never answers, and a tiny SMTP
server that keeps what it receives."""

import socket
import socketserver
import threading
from contextlib import contextmanager
from email import message_from_bytes


def closed_port():
    """A loopback port nothing listens on: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def silent_server():
    """A loopback socket that accepts connections (backlog) and never answers;
    yields ``(port, pending)`` where ``pending()`` says whether anybody
    connected."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)

    def pending():
        try:
            conn, _addr = sock.accept()
        except BlockingIOError:
            return False
        conn.close()
        return True

    try:
        yield sock.getsockname()[1], pending
    finally:
        sock.close()


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: no TLS, no authentication."""

    def _reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self._reply("220 localhost sink ready")
        envelope = {"from": None, "to": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 localhost")
            elif verb == "MAIL":
                envelope = {"from": command[10:].strip(), "to": []}
                self._reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command[8:].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.received.append(
                    (envelope["to"], message_from_bytes(b"".join(data)))
                )
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:  # RSET, NOOP, ...
                self._reply("250 OK")


class _SinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_sink():
    """An SMTP server on a free loopback port, in a thread; yields
    ``(port, received)``, ``received`` being the list of ``(recipients,
    email.message.Message)`` it accepted."""
    server = _SinkServer(("127.0.0.1", 0), _SmtpHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
