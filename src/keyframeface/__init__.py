"""keyframeface: text -> expressive ARKit facial animation."""

from .channels import CHANNELS
from .errors import BackendError, InputError, KeyframeFaceError, MissingExtra

__all__ = ["CHANNELS", "BackendError", "InputError", "KeyframeFaceError", "MissingExtra"]
__version__ = "0.1.0"
