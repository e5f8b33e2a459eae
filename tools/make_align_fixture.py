#!/usr/bin/python3
"""Writes the reference for the 224x224 face alignment SadTalker applies before net_recon.

Follows SadTalker's src/utils/preprocess.py + src/face3d/util/preprocess.py (align_img,
extract_5p, POS, resize_n_crop_img) step by step with numpy and Pillow, on a synthetic
image and synthetic 68 landmarks. Needs: apt-get install -y python3-pil python3-numpy
    /usr/bin/python3 tools/make_align_fixture.py src/test/resources/motion

Files: align_input.png (256x256); per case (near, big): align_<case>_landmarks.txt (68 lines
"x y", image coordinates), align_<case>_expected.png (224x224), align_<case>_params.txt
(w0 h0 s tx ty).
"""
import sys

import numpy as np
from PIL import Image

# SadTalker's standard 5 points (src/config/similarity_Lm3D_all.mat reduced by load_lm3d).
LM3D = np.array([
    [-0.3114865720272064, 0.29036077857017517, 0.13377952575683594],
    [0.30979886651039124, 0.289720356464386, 0.1317952573299408],
    [0.003253498813137412, -0.04617932438850403, 0.5524424314498901],
    [-0.25216928124427795, -0.3813391625881195, 0.22405731678009033],
    [0.24846619367599487, -0.38128235936164856, 0.22235769033432007]], dtype=np.float32)


def extract_5p(lm):
    idx = np.array([31, 37, 40, 43, 46, 49, 55]) - 1
    p = np.stack([lm[idx[0]], np.mean(lm[idx[[1, 2]]], 0), np.mean(lm[idx[[3, 4]]], 0), lm[idx[5]], lm[idx[6]]], 0)
    return p[[1, 2, 0, 3, 4]]


def pos(xp, x):
    npts = xp.shape[1]
    a = np.zeros([2 * npts, 8])
    a[0:2 * npts - 1:2, 0:3] = x.transpose()
    a[0:2 * npts - 1:2, 3] = 1
    a[1:2 * npts:2, 4:7] = x.transpose()
    a[1:2 * npts:2, 7] = 1
    b = np.reshape(xp.transpose(), [2 * npts, 1])
    k, _, _, _ = np.linalg.lstsq(a, b, rcond=None)
    s = (np.linalg.norm(k[0:3]) + np.linalg.norm(k[4:7])) / 2
    return np.stack([k[3], k[7]], 0), s


def align(img, lm):
    w0, h0 = img.size
    t, s = pos(extract_5p(lm).transpose(), LM3D.transpose())
    s = 102. / s
    w = (w0 * s).astype(np.int32)
    h = (h0 * s).astype(np.int32)
    left = (w / 2 - 112. + float((t[0] - w0 / 2) * s)).astype(np.int32)
    up = (h / 2 - 112. + float((h0 / 2 - t[1]) * s)).astype(np.int32)
    out = img.resize((w, h), resample=Image.BICUBIC).crop((left, up, left + 224, up + 224))
    return out, np.array([w0, h0, s, t[0][0], t[1][0]], dtype=np.float64)


def main(out_dir):
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:256, 0:256]
    rgb = np.stack([(xx * 255 // 255), (yy * 255 // 255), ((xx * 3 + yy * 5) % 256)], -1).astype(np.uint8)
    rgb[100:140, 60:90] = [250, 20, 20]     # a red patch near the left eye
    rgb[170:185, 110:150] = [20, 20, 240]   # a blue patch at the mouth
    rgb = np.clip(rgb.astype(int) + rng.integers(-20, 20, rgb.shape), 0, 255).astype(np.uint8)
    img = Image.fromarray(rgb, "RGB")
    lm = rng.uniform(60, 200, (68, 2)).astype(np.float32)   # points the alignment does not use
    lm[36], lm[39] = [80, 112], [108, 114]                   # left eye corners
    lm[42], lm[45] = [146, 113], [175, 110]                  # right eye corners
    lm[30] = [128, 145]                                      # nose tip
    lm[48], lm[54] = [101, 178], [157, 176]                  # mouth corners
    img.save(f"{out_dir}/align_input.png")
    # Case "near": the face as drawn (scale ~1); case "big": landmarks spread 1.7x about the
    # centre, so the image is shrunk (Pillow's antialiased bicubic path).
    for name, spread in (("near", 1.0), ("big", 1.7)):
        pts = (lm - 128) * spread + 128
        flipped = pts.copy()
        flipped[:, 1] = 256 - 1 - flipped[:, 1]              # SadTalker flips y before aligning
        out, params = align(img, flipped)
        np.savetxt(f"{out_dir}/align_{name}_landmarks.txt", pts, fmt="%.4f")
        out.save(f"{out_dir}/align_{name}_expected.png")
        np.savetxt(f"{out_dir}/align_{name}_params.txt", params[None], fmt="%.10f")
        print(name, "params", params)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/motion")
