"""Signed filings: the stamped copy with a PAdES signature (pyHanko), made with a key the publish job is given.

A PDF reader then shows who signed the copy and that nothing changed since. The
key and certificate are files named by the caller (``breachdocs publish
--sign-key FILE --sign-cert FILE`` or ``BREACHDOCS_SIGN_KEY`` /
``BREACHDOCS_SIGN_CERT``); a passphrase, when the key has one, comes from
``BREACHDOCS_SIGN_KEY_PASSPHRASE``. Nothing of the key reaches an output; the
certificate (public) is in the signature, as PAdES requires.

pyHanko is optional (``pip install 'breachdocs[sign]'``). A PAdES signature
records the time of signing, so a signed copy differs from one signing to the
next; the filings cache keeps it by the stamped copy's hash and the certificate,
so a rebuild of the same commit on the same machine gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..hashing import sha256_file

FIELD_NAME = "BreachdocsApproval"
ENV_KEY, ENV_CERT, ENV_PASSPHRASE = "BREACHDOCS_SIGN_KEY", "BREACHDOCS_SIGN_CERT", "BREACHDOCS_SIGN_KEY_PASSPHRASE"


class SigningError(Exception):
    """The copy cannot be signed (the message says what to do; it never holds key material)."""


@dataclass(frozen=True)
class SigningKey:
    """A private key and its certificate (PEM or DER files)."""

    key_file: Path
    cert_file: Path
    passphrase: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SigningKey | None:
        env = dict(os.environ) if env is None else env
        key, cert = env.get(ENV_KEY), env.get(ENV_CERT)
        if not key and not cert:
            return None
        if not (key and cert):
            raise SigningError(f"set both {ENV_KEY} and {ENV_CERT} (files of the signing key and its certificate)")
        passphrase = env.get(ENV_PASSPHRASE)
        return cls(Path(key), Path(cert), passphrase.encode() if passphrase else None)

    @classmethod
    def from_files(cls, key: Path | None, cert: Path | None, env: dict[str, str] | None = None) -> SigningKey | None:
        """The key and certificate given as files (None when neither is); the passphrase from the environment."""
        if key is None and cert is None:
            return None
        if key is None or cert is None:
            raise SigningError("give both the signing key and its certificate (--sign-key and --sign-cert), or neither")
        for file in (key, cert):
            if not file.is_file():
                raise SigningError(f"{file}: no such file; give the signing key and its certificate as PEM or DER files")
        passphrase = (dict(os.environ) if env is None else env).get(ENV_PASSPHRASE)
        return cls(key, cert, passphrase.encode() if passphrase else None)

    @property
    def token(self) -> str:
        """Names the certificate (for caching signed copies); never the key."""
        return sha256_file(self.cert_file)


def signing_configured(env: dict[str, str] | None = None) -> bool:
    """Whether a signing key and certificate are named in the environment (their files are not read)."""
    env = dict(os.environ) if env is None else env
    return bool(env.get(ENV_KEY) and env.get(ENV_CERT))


def _pyhanko() -> Any:
    try:
        from pyhanko.sign import signers
    except ImportError:
        raise SigningError("signing needs pyHanko: pip install 'breachdocs[sign]'") from None
    return signers


def sign(data: bytes, key: SigningKey, *, reason: str) -> bytes:
    """``data`` (a stamped copy) with a PAdES signature over all of it, added as an incremental update."""
    signers = _pyhanko()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigSeedSubFilter

    for file in (key.key_file, key.cert_file):
        if not file.is_file():
            raise SigningError(f"{file}: no such file (give the signing key and certificate as PEM or DER files)")
    signer = signers.SimpleSigner.load(str(key.key_file), str(key.cert_file), key_passphrase=key.passphrase)
    if signer is None:
        raise SigningError(f"{key.key_file}, {key.cert_file}: cannot read the key and certificate (PEM or DER; "
                           f"a key with a passphrase needs {ENV_PASSPHRASE})")
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256")
    out = signers.PdfSigner(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)))
    return out.getvalue()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko's validator says of a signature."""

    signer: str
    signed_at: dt.datetime | None
    intact: bool  # the signed bytes are unchanged
    covers_whole_file: bool  # nothing was added after signing
    trusted: bool  # the certificate chains to a given trust root
    summary: str


def check_signatures(data: bytes, trust: list[Path] | None = None) -> list[SignatureCheck]:
    """Every signature of ``data``, validated by pyHanko (against ``trust`` certificates when given)."""
    _pyhanko()
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data))
    roots = [load_cert_from_pemder(str(p)) for p in trust or []]  # type: ignore[no-untyped-call]
    out = []
    log = logging.getLogger("pyhanko")
    for signature in reader.embedded_signatures:
        context = ValidationContext(trust_roots=roots)
        level, log.level = log.level, logging.CRITICAL  # an untrusted signer is reported in the result, not logged
        try:
            status = validate_pdf_signature(signature, context)
        finally:
            log.setLevel(level)
        out.append(SignatureCheck(
            signer=status.signing_cert.subject.human_friendly,
            signed_at=status.signer_reported_dt,
            intact=bool(status.intact and status.valid),
            covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            trusted=bool(status.trusted),
            summary=status.summary(),
        ))
    return out
