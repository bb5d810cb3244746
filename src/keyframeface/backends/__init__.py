"""Backends: language -> numbers. See ``base.Backend``."""

from .base import BACKENDS, Backend, get_backend

__all__ = ["BACKENDS", "Backend", "get_backend"]
