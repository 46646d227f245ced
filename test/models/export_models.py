#!/usr/bin/env python3
"""Exports the four model-test networks with Debian's torch, with references.

Each network gets random weights (fixed seeds), one random input, and the
output torch computes for it. Everything goes under BUILD/models/<name>/:
model.onnx, input_0.npy, output_0.npy. A stamp holding this script's hash
keeps the export cached: it runs again only when this file changes.

  resnet18            torchvision, opset 14, input 1x3x224x224
  mobilenet_v2        torchvision, opset 14, input 1x3x224x224
  transformer_encoder 2-layer nn.TransformerEncoder (d_model 256, 4 heads,
                      GELU, batch_first), opset 17, input 1x128x256
  gpt2_block          GPT-2-style block (d 768, 12 heads, causal mask,
                      pre-LayerNorm, GELU MLP), opset 17, input 1x128x768
  attention_bias      nn.MultiheadAttention (d 64, 4 heads, batch_first)
                      with an additive float mask, on 77 tokens (lengths
                      that no power of two divides), batch 2, opset 17
"""

import argparse
import hashlib
import math
import os
import sys

MODELS = ["resnet18", "mobilenet_v2", "transformer_encoder", "gpt2_block",
          "attention_bias"]


def build(name):
    import torch
    import torch.nn as nn

    torch.manual_seed(0)
    if name in ("resnet18", "mobilenet_v2"):
        import torchvision
        model = getattr(torchvision.models, name)()
        # Random but well-scaled batch-norm statistics, so that the
        # activations neither vanish nor explode through the network.
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
        return model, torch.randn(1, 3, 224, 224), 14
    if name == "transformer_encoder":
        layer = nn.TransformerEncoderLayer(d_model=256, nhead=4,
                                           activation="gelu",
                                           batch_first=True)
        return nn.TransformerEncoder(layer, num_layers=2), torch.randn(1, 128, 256), 17
    if name == "gpt2_block":
        class Attention(nn.Module):
            def __init__(self, d, heads, seq):
                super().__init__()
                self.heads = heads
                self.qkv = nn.Linear(d, 3 * d)
                self.proj = nn.Linear(d, d)
                mask = torch.tril(torch.ones(seq, seq, dtype=torch.bool))
                self.register_buffer("mask", mask.view(1, 1, seq, seq))

            def forward(self, x):
                b, t, d = x.shape
                q, k, v = self.qkv(x).split(d, dim=2)
                shape = (b, t, self.heads, d // self.heads)
                q = q.view(shape).transpose(1, 2)
                k = k.view(shape).transpose(1, 2)
                v = v.view(shape).transpose(1, 2)
                scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
                scores = scores.masked_fill(~self.mask[:, :, :t, :t], float("-inf"))
                y = torch.softmax(scores, dim=-1) @ v
                return self.proj(y.transpose(1, 2).reshape(b, t, d))

        class Block(nn.Module):
            def __init__(self, d=768, heads=12, seq=128):
                super().__init__()
                self.ln1 = nn.LayerNorm(d)
                self.attn = Attention(d, heads, seq)
                self.ln2 = nn.LayerNorm(d)
                self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(),
                                         nn.Linear(4 * d, d))

            def forward(self, x):
                x = x + self.attn(self.ln1(x))
                return x + self.mlp(self.ln2(x))

        return Block(), torch.randn(1, 128, 768), 17
    if name == "attention_bias":
        class BiasedAttention(nn.Module):
            def __init__(self, d=64, heads=4, seq=77):
                super().__init__()
                self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
                self.register_buffer("bias", torch.randn(seq, seq))

            def forward(self, x):
                # need_weights=False: the probabilities are not an output.
                return self.attn(x, x, x, attn_mask=self.bias,
                                 need_weights=False)[0]

        return BiasedAttention(), torch.randn(2, 77, 64), 17
    raise ValueError(name)


def export(name, out_dir):
    import numpy as np
    import torch

    model, example, opset = build(name)
    model.eval()
    # No torch.no_grad(): with gradients enabled, TransformerEncoder takes
    # its exportable (non-fused) path.
    reference = model(example).detach().numpy()
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "model.onnx")
    torch.onnx.export(model, (example,), path, opset_version=opset,
                      input_names=["input"], output_names=["output"],
                      do_constant_folding=True)
    np.save(os.path.join(out_dir, "input_0.npy"), example.numpy())
    np.save(os.path.join(out_dir, "output_0.npy"), reference)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("models", nargs="*", default=MODELS)
    args = parser.parse_args()
    with open(__file__, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    for name in args.models:
        out_dir = os.path.join(args.build_dir, "models", name)
        stamp = os.path.join(out_dir, "stamp")
        if os.path.exists(stamp) and open(stamp).read() == digest:
            continue
        print(f"exporting {name} with torch...", flush=True)
        export(name, out_dir)
        with open(stamp, "w") as f:
            f.write(digest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
