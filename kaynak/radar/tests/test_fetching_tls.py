"""Pinning over HTTPS: the fetcher connects to the checked IP yet verifies the certificate for the
host name, by a real TLS server on 127.0.0.1 and a certificate made for the test."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kaynak.radar.fetching import Fetcher, FetchFailure, fetch


class HostEcho(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"{self.headers['Host']} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class TlsServer:
    port: int
    certificate_pem: bytes


def self_signed(name: str) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    certificate_pem, key_pem = self_signed("funder.test")
    folder: Path = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(certificate_pem)
    (folder / "key.pem").write_bytes(key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostEcho)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield TlsServer(port=server.server_address[1], certificate_pem=certificate_pem)
    server.shutdown()
    server.server_close()
    thread.join()


def fetcher_for(server: TlsServer, *, resolved_name: str) -> Fetcher:
    """A fetcher trusting the test certificate, whose DNS sends ``resolved_name`` to 127.0.0.1."""
    trust = ssl.create_default_context(cadata=server.certificate_pem.decode())

    def resolver(host: str, port: int) -> list[str]:
        if host != resolved_name:
            raise OSError(f"unknown host {host}")
        return ["127.0.0.1"]

    return Fetcher(
        allow_loopback=True,
        respect_robots=False,
        host_delay=0,
        retries=0,
        resolver=resolver,
        verify=trust,
    )


def test_https_is_pinned_to_the_checked_address_and_verified_for_the_host_name(
    tls_server: TlsServer,
) -> None:
    url = f"https://funder.test:{tls_server.port}/calls"
    with fetcher_for(tls_server, resolved_name="funder.test") as pinned:
        result = fetch(url, fetcher=pinned)

    assert result.ok, result.error_detail
    assert result.body == f"funder.test:{tls_server.port} /calls".encode()
    assert result.final_url == url


def test_a_certificate_for_another_name_is_rejected_even_at_the_checked_address(
    tls_server: TlsServer,
) -> None:
    with fetcher_for(tls_server, resolved_name="impostor.test") as pinned:
        result = fetch(f"https://impostor.test:{tls_server.port}/calls", fetcher=pinned)

    assert result.error == FetchFailure.CONNECTION
    assert "certificate" in result.error_detail.lower()


def test_the_test_certificate_names_only_its_host_so_success_above_is_not_by_ip() -> None:
    certificate_pem, _key = self_signed("funder.test")
    certificate = x509.load_pem_x509_certificate(certificate_pem)
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value

    assert names.get_values_for_type(x509.DNSName) == ["funder.test"]
    assert names.get_values_for_type(x509.IPAddress) == []
