"""A PEFT LoRA adapter -> a llama.cpp LoRA adapter GGUF, with the ``gguf`` package's GGUFWriter.

The conventions of llama.cpp's convert_lora_to_gguf.py: ``general.type = "adapter"``, ``adapter.type =
"lora"``, ``adapter.lora.alpha``; for each adapted weight ``blk.N.attn_q.weight`` two tensors,
``blk.N.attn_q.weight.lora_a`` (rank x in) and ``.lora_b`` (out x rank), as float32. llama.cpp scales by
alpha / rank, as PEFT does. For llama-family models the GGUF stores q/k rows permuted for its rotary
layout (transformers undoes it when loading a GGUF), so lora_b of q and k gets the same permutation.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np

from ..errors import InputError, MissingExtra

__all__ = ["convert_adapter"]

_MODULES = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
            "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
            "mlp.down_proj": "ffn_down"}
_KEY = re.compile(r"^base_model\.model\.model\.layers\.(\d+)\.(\w+\.\w+)\.lora_([AB])\.weight$")
_PERMUTED = {"llama", "mistral"}  # GGUF q/k rows permuted (convert_hf_to_gguf's LlamaModel.permute)
_ARCH = {"llama": "llama", "mistral": "llama", "qwen2": "qwen2", "qwen3": "qwen3"}


def _permute(w: np.ndarray, n_head: int) -> np.ndarray:
    """HF row order -> llama.cpp's (the inverse of transformers' reverse permutation)."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def convert_adapter(adapter_dir: str | os.PathLike, output: str | os.PathLike, *, base_config: object) -> Path:
    """Write ``output`` (a llama.cpp LoRA GGUF) from a PEFT adapter folder; ``base_config`` is the base's config."""
    try:
        import gguf
        from safetensors.numpy import load_file
    except ImportError as exc:
        raise MissingExtra("converting an adapter to GGUF", "train", exc.name or "gguf") from exc
    folder = Path(adapter_dir)
    settings = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
    if settings.get("use_rslora") or settings.get("use_dora"):
        raise InputError("llama.cpp applies plain LoRA only (no rsLoRA/DoRA)", path=str(folder), field="adapter")
    model_type = getattr(base_config, "model_type", None)
    if model_type not in _ARCH:
        raise InputError(f"no GGUF conversion for model type {model_type!r} (llama, mistral, qwen2, qwen3): "
                         "serve this adapter with vLLM --enable-lora", path=str(folder), field="--base")
    tensors = load_file(str(folder / "adapter_model.safetensors"))
    n_head, n_kv = base_config.num_attention_heads, base_config.num_key_value_heads
    writer_tensors: list[tuple[str, np.ndarray]] = []
    for key in sorted(tensors, key=_order):
        m = _KEY.match(key)
        if m is None or m.group(2) not in _MODULES:
            raise InputError(f"adapter tensor {key!r} has no llama.cpp name (adapt only attention/MLP "
                             "projections: --target-modules all-linear)", path=str(folder), field="adapter")
        layer, module, part = m.groups()
        w = tensors[key].astype(np.float32)
        if part == "B" and model_type in _PERMUTED and module in ("self_attn.q_proj", "self_attn.k_proj"):
            w = _permute(w, n_head if module == "self_attn.q_proj" else n_kv)
        writer_tensors.append((f"blk.{layer}.{_MODULES[module]}.weight.lora_{part.lower()}", np.ascontiguousarray(w)))
    out = Path(output)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")  # written whole, then renamed over OUT
    writer = gguf.GGUFWriter(str(tmp), _ARCH[model_type])
    writer.add_string(gguf.Keys.General.TYPE, gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(settings["lora_alpha"]))
    for name, w in writer_tensors:
        writer.add_tensor(name, w)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(tmp, out)
    return out


def _order(key: str) -> tuple:
    m = _KEY.match(key)
    return (int(m.group(1)), m.group(2), m.group(3)) if m else (1 << 30, key, "")
