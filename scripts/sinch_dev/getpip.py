"""An offline stand-in for the get-pip.py that ansible-test downloads to bootstrap pip in its sanity venvs.

ansible-test first looks for a cached copy in HOME/.ansible/test/cache/get_pip_X_Y.py; the runner puts
this stand-in there (HOME being the clone's own ansible-test home): it bootstraps pip with ensurepip,
then installs the requested pip from the package index. Runs with .venv's Python (it asks ansible-test
which pip versions it bootstraps).
"""

import os
import re
import types

MARKER = "# sinch.numbers offline get-pip stand-in"
SHIM = MARKER + '''
"""Stand-in for get-pip.py: bootstrap pip with ensurepip, then install the requested pip.

Called by ansible-test as: python get_pip_X_Y.py pip==X.Y --disable-pip-version-check
--no-setuptools --no-wheel, inside a fresh venv, with a stripped environment.
"""
import os
import ssl
import subprocess
import sys


def ca_bundle():
    """Return the system CA bundle, so TLS interception proxies with a local CA work."""
    paths = ssl.get_default_verify_paths()
    candidates = [os.environ.get(name) for name in ("PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")]
    candidates += [paths.cafile, paths.openssl_cafile,
                   "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                   "/etc/ssl/ca-bundle.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
                   "/etc/ssl/cert.pem", "/usr/local/etc/openssl/cert.pem"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


def main():
    args = sys.argv[1:]
    no_setuptools = "--no-setuptools" in args
    no_wheel = "--no-wheel" in args
    args = [a for a in args if a not in ("--no-setuptools", "--no-wheel")]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
    cmd = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check"]
    cert = ca_bundle()
    if cert:
        cmd += ["--cert", cert]
    packages = [a for a in args if not a.startswith("-")]
    if packages:
        subprocess.check_call(cmd + args)
    # ensurepip may also have installed setuptools; get-pip.py would not have.
    requested = " ".join(packages).lower()
    unwanted = []
    if no_setuptools and "setuptools" not in requested:
        unwanted.append("setuptools")
    if no_wheel and "wheel" not in requested:
        unwanted.append("wheel")
    for name in unwanted:
        subprocess.call([sys.executable, "-m", "pip", "uninstall", "-y", "-q", name],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
'''


def pip_versions():
    """The pip versions ansible-test bootstraps, for every Python it knows."""
    versions = set()
    try:
        from ansible_test._internal.python_requirements import get_venv_packages  # pylint: disable=import-outside-toplevel
        for python in ("3.14", "3.13", "3.12", "3.11", "3.10", "3.9", "3.8"):
            versions.add(get_venv_packages(types.SimpleNamespace(version=python))["pip"])
    except Exception:  # pylint: disable=broad-except
        import ansible_test  # pylint: disable=import-outside-toplevel
        source = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
        with open(source, encoding="utf-8") as handle:
            versions.update(re.findall(r"pip\s*=\s*'([0-9][0-9.]*)'", handle.read()))
    return sorted(versions)


def install(home, say):
    """Put the stand-in into HOME's ansible-test cache for every pip version ansible-test bootstraps."""
    versions = pip_versions()
    if not versions:
        raise RuntimeError("could not find the pip version ansible-test bootstraps")
    cache = os.path.join(home, ".ansible", "test", "cache")
    os.makedirs(cache, exist_ok=True)
    for version in versions:
        path = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
        current = None
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as handle:
                current = handle.read()
        if current != SHIM:
            with open(path + ".tmp", "w", encoding="utf-8") as handle:
                handle.write(SHIM)
            os.replace(path + ".tmp", path)
            say("installed the get-pip stand-in for pip %s" % version)
