#!/usr/bin/python3
"""Per-layer fixtures for the studio.nn layer tests (src/test/java/studio/nn/*LayerTest.java).

Regenerate with Debian's torch (apt-get install -y python3-torch), from the repository root:
    /usr/bin/python3 tools/make_nn_fixtures.py src/test/resources/nn/layers.safetensors

Every case builds the PyTorch reference op (torch.nn / torch.nn.functional, or a verbatim copy of
the reference module where it lives outside torch: GFPGAN's ModulatedConv2d, Stable Diffusion's
CrossAttention) on tiny random tensors drawn after torch.manual_seed(<fixed per case>), and stores
    <case>.in.*   the inputs
    <case>.w.*    the parameters, under the state-dict names the Java loaders read
    <case>.out    the reference output (sometimes also <case>.ref.* for an intermediate)
The settings of each case (the op, align_corners, eps, stride...) are a JSON object in
__metadata__ under the case's name. Output is deterministic for a given torch build.
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from safetensors_writer import write_safetensors

TENSORS = {}
META = {}


def case(name, settings, inputs, weights, out, refs=None):
    assert "." not in name, name
    META[name] = json.dumps(settings, sort_keys=True)
    for k, v in inputs.items():
        TENSORS[f"{name}.in.{k}"] = v
    for k, v in weights.items():
        TENSORS[f"{name}.w.{k}"] = v
    for k, v in (refs or {}).items():
        TENSORS[f"{name}.ref.{k}"] = v
    TENSORS[f"{name}.out"] = out


def sd(module, prefix=""):
    return {prefix + k: v.detach().clone() for k, v in module.state_dict().items() if not k.endswith("num_batches_tracked")}


def random_bn(bn):
    c = bn.num_features
    with torch.no_grad():
        bn.weight.copy_(1 + 0.3 * torch.randn(c))
        bn.bias.copy_(0.3 * torch.randn(c))
        bn.running_mean.copy_(0.5 * torch.randn(c))
        bn.running_var.copy_(0.2 + torch.rand(c) * 2)
    return bn.eval()


# ---------------------------------------------------------------------------------------------
# GridSample: bilinear (4-D) and trilinear (5-D), padding_mode='zeros', both align_corners modes.
# Grid coordinates reach past [-1, 1] so the zero padding is exercised.

def grid_sample_cases():
    for dims in (3, 2):
        for align in (False, True):
            torch.manual_seed(100 + 10 * dims + int(align))
            if dims == 3:
                x = torch.randn(2, 3, 3, 4, 5)
                grid = torch.rand(2, 2, 3, 4, 3) * 2.3 - 1.15
            else:
                x = torch.randn(2, 3, 5, 6)
                grid = torch.rand(2, 4, 7, 2) * 2.3 - 1.15
            out = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=align)
            case(f"gs{dims}d_{'align' if align else 'noalign'}",
                 {"op": "F.grid_sample", "mode": "bilinear", "padding_mode": "zeros", "align_corners": align},
                 {"x": x, "grid": grid}, {}, out)
    # one input volume read by every grid sample (the Java batch-1 broadcast)
    torch.manual_seed(130)
    x = torch.randn(1, 2, 3, 4, 5)
    grid = torch.rand(3, 2, 2, 3, 3) * 2.3 - 1.15
    out = F.grid_sample(x.expand(3, -1, -1, -1, -1), grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    case("gs3d_broadcast", {"op": "F.grid_sample(x.expand(N))", "mode": "bilinear", "padding_mode": "zeros",
                            "align_corners": False}, {"x": x, "grid": grid}, {}, out)


# ---------------------------------------------------------------------------------------------
# Conv with eval-mode BatchNorm folded in; standalone folded BatchNorm; concatenated convs.

def conv_cases():
    torch.manual_seed(200)
    conv, bn = nn.Conv2d(4, 6, 3, padding=1), random_bn(nn.BatchNorm2d(6, eps=1e-5))
    x = torch.randn(2, 4, 5, 6)
    case("convbn2d", {"op": "Conv2d(4, 6, 3, padding=1) -> BatchNorm2d(6, eps=1e-5).eval()", "eps": 1e-5,
                      "padding": 1, "out": 6, "in": 4, "kernel": 3},
         {"x": x}, {**sd(conv, "conv."), **sd(bn, "bn.")}, bn(conv(x)))

    torch.manual_seed(201)
    conv, bn = nn.Conv2d(4, 5, (3, 1), stride=(2, 1), padding=(1, 0), bias=False), random_bn(nn.BatchNorm2d(5))
    x = torch.randn(2, 4, 7, 5)
    case("convbn2d_nobias", {"op": "Conv2d(4, 5, (3, 1), stride=(2, 1), padding=(1, 0), bias=False) -> BatchNorm2d(5).eval()",
                             "eps": 1e-5, "out": 5, "in": 4, "kh": 3, "kw": 1, "strideH": 2, "strideW": 1,
                             "padH": 1, "padW": 0},
         {"x": x}, {**sd(conv, "conv."), **sd(bn, "bn.")}, bn(conv(x)))

    torch.manual_seed(202)
    conv, bn = nn.Conv3d(3, 4, 3, padding=1), random_bn(nn.BatchNorm3d(4, eps=1e-5))
    x = torch.randn(1, 3, 3, 4, 5)
    case("convbn3d", {"op": "Conv3d(3, 4, 3, padding=1) -> BatchNorm3d(4, eps=1e-5).eval()", "eps": 1e-5, "padding": 1},
         {"x": x}, {**sd(conv, "conv."), **sd(bn, "bn.")}, bn(conv(x)))

    for rank in (4, 5):
        torch.manual_seed(210 + rank)
        bn = random_bn((nn.BatchNorm2d if rank == 4 else nn.BatchNorm3d)(5, eps=1e-5))
        x = torch.randn(*([2, 5, 3, 4, 3][:rank]))
        case(f"bn{rank - 2}d", {"op": f"BatchNorm{rank - 2}d(5, eps=1e-5).eval()", "eps": 1e-5, "channels": 5},
             {"x": x}, sd(bn), bn(x))

    # SpadeDecoder's gamma/beta pair: (mlp_gamma(x) + 1, mlp_beta(x)) as one conv
    torch.manual_seed(220)
    gamma, beta = nn.Conv2d(4, 3, 3, padding=1), nn.Conv2d(4, 2, 3, padding=1)
    x = torch.randn(2, 4, 5, 4)
    case("conv_concat", {"op": "cat([Conv2d(4, 3, 3, padding=1)(x) + 1, Conv2d(4, 2, 3, padding=1)(x)], 1)",
                         "padding": 1, "gamma_bias_offset": 1.0},
         {"x": x}, {**sd(gamma, "gamma."), **sd(beta, "beta.")}, torch.cat([gamma(x) + 1, beta(x)], 1))


# ---------------------------------------------------------------------------------------------
# torch.nn.utils.spectral_norm in eval mode, after a few training steps moved u and v.

def spectral_norm_cases():
    for name, conv, shape in (("sn3x3", nn.Conv2d(4, 5, 3, padding=1), (2, 4, 5, 6)),
                              ("sn1x1", nn.Conv2d(4, 3, 1, bias=False), (2, 4, 3, 5))):
        torch.manual_seed(300 + len(name) + shape[2])
        with torch.no_grad():
            conv.weight.normal_()
            if conv.bias is not None:
                conv.bias.normal_()
        conv = nn.utils.spectral_norm(conv)
        conv.train()
        for _ in range(3):
            conv(torch.randn(*shape))
        conv.eval()
        x = torch.randn(*shape)
        out = conv(x)
        w = sd(conv)
        w_mat = w["weight_orig"].reshape(w["weight_orig"].shape[0], -1)
        sigma = torch.dot(w["weight_u"], torch.mv(w_mat, w["weight_v"]))
        case(name, {"op": f"spectral_norm({conv}).eval()", "padding": conv.padding[0], "sigma": float(sigma)},
             {"x": x}, w, out, {"weight": conv.weight.detach().clone()})


# ---------------------------------------------------------------------------------------------
# GFPGAN's ModulatedConv2d (gfpgan/archs/stylegan2_clean_arch.py, used by gfpganv1_clean_arch.py),
# copied verbatim but for the init.

class ModulatedConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, num_style_feat, demodulate=True, sample_mode=None, eps=1e-8):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.demodulate = demodulate
        self.sample_mode = sample_mode
        self.eps = eps
        self.modulation = nn.Linear(num_style_feat, in_channels, bias=True)
        with torch.no_grad():
            self.modulation.bias.copy_(1 + 0.2 * torch.randn(in_channels))  # GFPGAN fills 1
        self.weight = nn.Parameter(torch.randn(1, out_channels, in_channels, kernel_size, kernel_size) /
                                   math.sqrt(in_channels * kernel_size**2))
        self.padding = kernel_size // 2

    def forward(self, x, style):
        b, c, h, w = x.shape
        style = self.modulation(style).view(b, 1, c, 1, 1)
        weight = self.weight * style
        if self.demodulate:
            demod = torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + self.eps)
            weight = weight * demod.view(b, self.out_channels, 1, 1, 1)
        weight = weight.view(b * self.out_channels, c, self.kernel_size, self.kernel_size)
        if self.sample_mode == "upsample":
            x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        elif self.sample_mode == "downsample":
            x = F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=False)
        b, c, h, w = x.shape
        x = x.view(1, b * c, h, w)
        out = F.conv2d(x, weight, padding=self.padding, groups=b)
        return out.view(b, self.out_channels, *out.shape[2:4])


def modulated_conv_cases():
    for name, (cin, cout, k, demod, mode) in {"modconv": (4, 3, 3, True, None),
                                              "modconv_up": (4, 3, 3, True, "upsample"),
                                              "modconv_rgb": (5, 3, 1, False, None)}.items():
        torch.manual_seed(400 + len(name))
        m = ModulatedConv2d(cin, cout, k, 6, demodulate=demod, sample_mode=mode)
        x, style = torch.randn(2, cin, 4, 5), torch.randn(2, 6)
        case(name, {"op": "GFPGAN ModulatedConv2d", "in": cin, "out": cout, "kernel": k, "style_dim": 6,
                    "demodulate": demod, "upsample": mode == "upsample", "eps": 1e-8},
             {"x": x, "style": style}, sd(m), m(x, style))


# ---------------------------------------------------------------------------------------------
# conv3x3(F.interpolate(x, scale_factor=s, mode='nearest')), and the plain nearest / bilinear resizes.

def resample_cases():
    for s in (2, 3):
        torch.manual_seed(500 + s)
        conv = nn.Conv2d(4, 5, 3, padding=1)
        x = torch.randn(2, 4, 4, 5)
        case(f"upconv{s}", {"op": f"Conv2d(4, 5, 3, padding=1)(F.interpolate(x, scale_factor={s}, mode='nearest'))",
                            "factor": s, "in": 4, "out": 5},
             {"x": x}, sd(conv), conv(F.interpolate(x, scale_factor=s, mode="nearest")))
    torch.manual_seed(510)
    x = torch.randn(2, 3, 3, 4)
    case("nearest2", {"op": "F.interpolate(x, scale_factor=2, mode='nearest')", "factor": 2}, {"x": x}, {},
         F.interpolate(x, scale_factor=2, mode="nearest"))
    torch.manual_seed(511)
    x = torch.randn(2, 3, 4, 5)
    case("bilinear_up2", {"op": "F.interpolate(x, scale_factor=2, mode='bilinear', align_corners=False)"}, {"x": x}, {},
         F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False))
    torch.manual_seed(512)
    x = torch.randn(2, 3, 6, 8)
    case("bilinear_down2", {"op": "F.interpolate(x, scale_factor=0.5, mode='bilinear', align_corners=False)"}, {"x": x},
         {}, F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=False))


# ---------------------------------------------------------------------------------------------
# Normalisation layers.

def norm_cases():
    for name, groups, ch, eps, shape in (("gn", 4, 8, 1e-6, (2, 8, 3, 5)), ("gn32", 32, 64, 1e-5, (1, 64, 2, 3))):
        torch.manual_seed(600 + groups)
        gn = nn.GroupNorm(groups, ch, eps=eps)
        with torch.no_grad():
            gn.weight.copy_(1 + 0.3 * torch.randn(ch))
            gn.bias.copy_(0.3 * torch.randn(ch))
        x = torch.randn(*shape) * 2 + 0.7
        case(name, {"op": f"GroupNorm({groups}, {ch}, eps={eps})", "groups": groups, "channels": ch, "eps": eps},
             {"x": x}, sd(gn), gn(x))
    torch.manual_seed(610)
    ln = nn.LayerNorm(8, eps=1e-5)
    with torch.no_grad():
        ln.weight.copy_(1 + 0.3 * torch.randn(8))
        ln.bias.copy_(0.3 * torch.randn(8))
    x = torch.randn(2, 3, 8) * 1.5 - 0.4
    case("ln", {"op": "LayerNorm(8, eps=1e-5)", "dim": 8, "eps": 1e-5}, {"x": x}, sd(ln), ln(x))


# ---------------------------------------------------------------------------------------------
# Stable Diffusion's CrossAttention (ldm/modules/attention.py), and CLIP's causal self-attention core.

class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim=None, heads=8, dim_head=64):
        super().__init__()
        inner_dim = dim_head * heads
        context_dim = query_dim if context_dim is None else context_dim
        self.scale = dim_head ** -0.5
        self.heads = heads
        self.to_q = nn.Linear(query_dim, inner_dim, bias=False)
        self.to_k = nn.Linear(context_dim, inner_dim, bias=False)
        self.to_v = nn.Linear(context_dim, inner_dim, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner_dim, query_dim), nn.Dropout(0.0))

    def forward(self, x, context=None):
        h = self.heads
        q = self.to_q(x)
        context = x if context is None else context
        k, v = self.to_k(context), self.to_v(context)
        q, k, v = (t.reshape(t.shape[0], t.shape[1], h, -1).permute(0, 2, 1, 3).reshape(t.shape[0] * h, t.shape[1], -1)
                   for t in (q, k, v))
        sim = torch.einsum("b i d, b j d -> b i j", q, k) * self.scale
        attn = sim.softmax(dim=-1)
        out = torch.einsum("b i j, b j d -> b i d", attn, v)
        out = out.reshape(-1, h, out.shape[1], out.shape[2]).permute(0, 2, 1, 3).reshape(-1, out.shape[1], h * out.shape[2])
        return self.to_out(out)


def attention_cases():
    torch.manual_seed(700)
    a = CrossAttention(8, heads=2, dim_head=4).eval()
    x = torch.randn(2, 6, 8)
    case("attn_self", {"op": "ldm CrossAttention(8, heads=2, dim_head=4), context=None", "dim": 8, "context_dim": 8,
                       "heads": 2, "scale": a.scale}, {"x": x}, sd(a), a(x))
    torch.manual_seed(701)
    a = CrossAttention(8, context_dim=10, heads=2, dim_head=4).eval()
    x, ctx = torch.randn(2, 6, 8), torch.randn(2, 4, 10)
    case("attn_cross", {"op": "ldm CrossAttention(8, context_dim=10, heads=2, dim_head=4)", "dim": 8, "context_dim": 10,
                        "heads": 2, "scale": a.scale}, {"x": x, "context": ctx}, sd(a), a(x, ctx))
    torch.manual_seed(702)
    q, k, v = torch.randn(3, 5, 4), torch.randn(3, 5, 4), torch.randn(3, 5, 4)
    mask = torch.full((5, 5), float("-inf")).triu(1)
    scale = 4 ** -0.5
    out = torch.softmax(torch.bmm(q * scale, k.transpose(1, 2)) + mask, dim=-1) @ v
    case("attn_causal", {"op": "softmax(q*scale @ k^T + causal mask) @ v (CLIP)", "scale": scale},
         {"q": q, "k": k, "v": v, "mask": mask}, {}, out)


# ---------------------------------------------------------------------------------------------
# Transposed conv (kernel = stride), reflection pad, linear.

def misc_cases():
    for name, k in (("tconv2x2", (2, 2)), ("tconv2x1", (2, 1))):
        torch.manual_seed(800 + k[1])
        t = nn.ConvTranspose2d(4, 3, k, stride=k)
        x = torch.randn(2, 4, 3, 5)
        case(name, {"op": f"ConvTranspose2d(4, 3, {k}, stride={k})"}, {"x": x}, sd(t), t(x))
    for p in (1, 2):
        torch.manual_seed(810 + p)
        x = torch.randn(2, 3, 4, 5)
        case(f"rpad{p}", {"op": f"ReflectionPad2d({p})", "padding": p}, {"x": x}, {}, nn.ReflectionPad2d(p)(x))
    for name, bias in (("dense", True), ("dense_nobias", False)):
        torch.manual_seed(820 + bias)
        lin = nn.Linear(6, 5, bias=bias)
        x = torch.randn(2, 3, 6)
        case(name, {"op": f"Linear(6, 5, bias={bias})", "in": 6, "out": 5, "bias": bias}, {"x": x}, sd(lin), lin(x))


def main(out):
    with torch.no_grad():
        grid_sample_cases()
        conv_cases()
        modulated_conv_cases()
        resample_cases()
        norm_cases()
        attention_cases()
        misc_cases()
    # spectral_norm's power iteration needs grad mode off only for the stored vectors; it handles that itself
    spectral_norm_cases()
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    write_safetensors(out, {k: v.detach() for k, v in TENSORS.items()},
                      {"generator": "tools/make_nn_fixtures.py", "torch": torch.__version__, **META})
    print("wrote", out, len(META), "cases,", len(TENSORS), "tensors,", os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/nn/layers.safetensors")
