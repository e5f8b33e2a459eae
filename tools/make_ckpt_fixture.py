#!/usr/bin/env python3
"""Writes src/test/resources/diffusion/tiny-a1111.ckpt: an A1111-style .ckpt (torch.save of a dict
with "state_dict" and training counters) holding three SD 1.x keys with tiny shapes, one in fp16.
Run with Debian's python3-torch: /usr/bin/python3 tools/make_ckpt_fixture.py"""
import torch

sd = {
    "model.diffusion_model.input_blocks.0.0.weight": torch.arange(6, dtype=torch.float16).reshape(2, 3, 1, 1),
    "first_stage_model.decoder.conv_in.weight": torch.ones(2, 1, 1, 1),
    "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight": torch.full((3, 2), 0.5),
}
torch.save({"state_dict": sd, "global_step": 470000, "epoch": 6}, "src/test/resources/diffusion/tiny-a1111.ckpt")
