import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from winddown.pii.crypto import DecryptionError, Keyring, KeySpecError, generate_key

OLD, NEW, INDEX = generate_key(), generate_key(), generate_key()


def ring(spec: str = f"k1:{OLD}", index: str = INDEX) -> Keyring:
    return Keyring.from_specs(spec, index)


@given(st.text())
def test_round_trip_any_text(value):
    keyring = ring()
    assert (
        keyring.decrypt(keyring.encrypt(value, purpose="id_number"), purpose="id_number") == value
    )


def test_ciphertext_is_randomised_and_reveals_nothing():
    keyring = ring()
    a = keyring.encrypt("110101198001010053", purpose="id_number")
    b = keyring.encrypt("110101198001010053", purpose="id_number")
    assert a != b
    assert "110101" not in a and a.startswith("k1$")


def test_ciphertext_bound_to_its_purpose():
    keyring = ring()
    token = keyring.encrypt("13800138000", purpose="phone")
    with pytest.raises(DecryptionError):
        keyring.decrypt(token, purpose="id_number")


def test_tampered_ciphertext_is_refused():
    keyring = ring()
    token = keyring.encrypt("13800138000", purpose="phone")
    kid, body = token.split("$")
    flipped = body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")
    with pytest.raises(DecryptionError):
        keyring.decrypt(f"{kid}${flipped}", purpose="phone")
    with pytest.raises(DecryptionError):
        keyring.decrypt("not a token", purpose="phone")


def test_rotation_new_key_encrypts_old_key_still_decrypts():
    before = ring(f"old:{OLD}")
    legacy = before.encrypt("13800138000", purpose="phone")
    during = ring(f"new:{NEW},old:{OLD}")
    assert during.decrypt(legacy, purpose="phone") == "13800138000"
    fresh = during.encrypt("13800138000", purpose="phone")
    assert during.key_id_of(fresh) == "new"
    after = ring(f"new:{NEW}")
    assert after.decrypt(fresh, purpose="phone") == "13800138000"
    with pytest.raises(DecryptionError, match="unknown key id"):
        after.decrypt(legacy, purpose="phone")


def test_blind_index_is_deterministic_keyed_and_purpose_separated():
    a, b = ring(), ring(index=generate_key())
    assert a.blind_index("x", purpose="phone") == a.blind_index("x", purpose="phone")
    assert a.blind_index("x", purpose="phone") != b.blind_index("x", purpose="phone")
    assert a.blind_index("x", purpose="phone") != a.blind_index("x", purpose="id_number")
    assert len(a.blind_index("x", purpose="phone")) == 32


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "nokid",
        "k1:not-base64!!",
        f"k1:{generate_key()[:20]}",
        f"k1:{OLD},k1:{NEW}",
        f"a-b:{OLD}",
    ],
    # Stable ids (the keys are random): parallel workers must collect the same tests.
    ids=["empty", "no-kid", "not-base64", "short-key", "duplicate-kid", "bad-kid"],
)
def test_malformed_key_specs_are_refused(spec):
    with pytest.raises(KeySpecError):
        Keyring.from_specs(spec, INDEX)


def _stream_round_trip(keyring, data: bytes) -> bytes:
    sealed = b"".join(
        keyring.encrypt_stream(
            iter([data[i : i + 70_000] for i in range(0, len(data), 70_000)]), purpose="file"
        )
    )
    return sealed


@pytest.mark.parametrize("size", [0, 1, 1024 * 1024, 3 * 1024 * 1024 + 17])
def test_stream_round_trip(size):
    keyring = ring()
    data = bytes(i % 251 for i in range(size))
    sealed = _stream_round_trip(keyring, data)
    assert b"".join(keyring.decrypt_stream(io.BytesIO(sealed), purpose="file")) == data


def test_stream_truncation_and_wrong_purpose_are_detected():
    keyring = ring()
    data = bytes(range(256)) * 10_000  # 2.5 MB: three chunks
    sealed = _stream_round_trip(keyring, data)
    with pytest.raises(DecryptionError):
        b"".join(keyring.decrypt_stream(io.BytesIO(sealed[: len(sealed) // 2]), purpose="file"))
    with pytest.raises(DecryptionError):
        b"".join(keyring.decrypt_stream(io.BytesIO(sealed), purpose="other"))
    # Dropping the last chunk entirely must not look like a complete file.
    header_end = sealed.index(b"\n") + 1
    first_len = int.from_bytes(sealed[header_end : header_end + 4], "big")
    only_first = sealed[: header_end + 4 + first_len]
    with pytest.raises(DecryptionError, match="truncated"):
        b"".join(keyring.decrypt_stream(io.BytesIO(only_first), purpose="file"))
