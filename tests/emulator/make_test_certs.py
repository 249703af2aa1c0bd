"""Make a private CA and a server certificate for the emulator over TLS (tests only; needs ``cryptography``).

    python tests/emulator/make_test_certs.py DIR

writes, in DIR (created if missing):

- ``ca.pem``: the certificate of a fresh CA ("sinch.numbers test CA"), to give as ``ca_path``;
- ``server.pem`` and ``server.key``: a certificate for ``localhost``, ``127.0.0.1`` and ``::1`` signed by
  that CA, and its private key (for ``ctl.py start --tls-cert server.pem --tls-key server.key``);
- ``other-ca.pem``: the certificate of another CA, which signed nothing here (a wrong ``ca_path``).

and prints their paths as NAME=path lines (CA_PATH, TLS_CERT, TLS_KEY, OTHER_CA_PATH). Every run makes new
keys; they are valid from a day ago for two days, and are worth nothing outside the test that made them.
"""

import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sinch.numbers tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def _ca(common_name, now):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_certs(directory):
    """Write the files described above into ``directory``; return {"ca": path, "cert": path, "key": path, "other_ca": path}."""
    os.makedirs(directory, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, ca_cert = _ca("sinch.numbers test CA", now)
    _other_key, other_cert = _ca("sinch.numbers other test CA", now)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(_name("localhost")).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("::1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = {name: os.path.join(directory, file_name) for name, file_name in
             (("ca", "ca.pem"), ("cert", "server.pem"), ("key", "server.key"), ("other_ca", "other-ca.pem"))}
    files = {
        "ca": _pem(ca_cert),
        "cert": _pem(cert),
        "key": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()),
        "other_ca": _pem(other_cert),
    }
    for name, data in files.items():
        descriptor = os.open(paths[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if name == "key" else 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
    return paths


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        sys.stderr.write("usage: make_test_certs.py DIR\n")
        return 2
    paths = make_certs(argv[0])
    for name, key in (("CA_PATH", "ca"), ("TLS_CERT", "cert"), ("TLS_KEY", "key"), ("OTHER_CA_PATH", "other_ca")):
        sys.stdout.write("%s=%s\n" % (name, os.path.abspath(paths[key])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
