#!/usr/bin/env bash
# One-command GPU check (issue 19): on a machine with an NVIDIA GPU and driver, builds the CUDA
# flavour, runs the golden tests on the GPU (fp32 at the goldens' 1e-3 tolerance; fp16 at the
# bounds FacerenderHalfGoldenTest and GfpganGoldenTest state), then the benchmarks in fp32 and
# fp16 side by side, and prints one table (also written to $OUT/gpu-table.md).
#   tools/gpu-check.sh                 # everything (about 10 minutes on one GPU after the download)
#   GOLDEN_DIR=/path tools/gpu-check.sh
# The CUDA libtorch (2.4 GB) comes from Maven Central on the first run; nothing else is downloaded.
set -uo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
export STUDIO_FLAVOUR=cuda
golden="${GOLDEN_DIR:-$(cd .. && pwd)/shared/golden}"
out="${OUT:-target/gpu-check}"
mkdir -p "$out"
sad="$golden/sadtalker/schema.json" gfp="$golden/gfpgan/schema.json" sd="$golden/sd15/schema.json"

gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader -i 0 2>/dev/null | head -1)
[ -n "$gpu" ] || { echo "gpu-check: nvidia-smi found no GPU; this check needs one" >&2; exit 2; }
echo "GPU: $gpu"

step() { echo; echo "== $1"; }
step "build (CUDA flavour)"
./mvnw -B -q -Pcuda -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true test-compile || exit 1

step "golden tests on cuda:0"
./mvnw -B -Pcuda surefire:test -Dstudio.device=cuda -Dgolden.dir="$golden" \
  -Dtest='GridSampleLayerTest,ComputeTest,Facerender*GoldenTest,FacerenderHalfGoldenTest,GfpganGoldenTest,Sd15GoldenTest,ClipTextGoldenTest,NetReconGoldenTest,Audio2CoeffGoldenTest' \
  -Dsurefire.failIfNoSpecifiedTests=false > "$out/goldens.log" 2>&1
goldens=$(grep -E "Tests run: [0-9]+, Failures" "$out/goldens.log" | tail -1)
echo "$goldens"; grep -E "fp16 .* vs fp32|FAIL|<<<" "$out/goldens.log" | head -20

bench() { echo "\$ studio bench $*" >> "$out/bench.log"; packaging/studio bench "$@" 2>&1 | tee -a "$out/bench.log"; }
step "face renderer 256 and 512"
bench facerender 8 16 --schema "$sad" --device cuda --precision fp32,fp16 --size 256
bench facerender 8 16 --schema "$sad" --device cuda --precision fp32,fp16 --size 512
step "GFPGAN 512"
bench gfpgan --schema "$gfp" --device cuda --precision fp32,fp16 --short 8 --long 32 --batch 4
step "SD UNet step 512"
bench unet --schema "$sd" --device cuda --precision fp32,fp16 --size 512 --steps 5
step "end to end: 10 s clip at 256 with GFPGAN"
for p in fp32 fp16; do
  bench memory 10 --schema "$sad" --gfpgan-schema "$gfp" -- --enhancer gfpgan --size 256 --batch-size 8 --device cuda --precision $p
done

step "table"
{
  echo "GPU: $gpu; $(packaging/studio --version 2>/dev/null | head -1)"
  echo
  echo "| measure | fp32 | fp16 |"
  echo "|---|---|---|"
  row() { # label, bench-log pattern for fp32, for fp16, column
    a=$(grep -F -- "$2" "$out/bench.log" | head -1 | awk -F'|' -v c="$4" '{gsub(/ /,"",$c); print $c}')
    b=$(grep -F -- "$3" "$out/bench.log" | head -1 | awk -F'|' -v c="$4" '{gsub(/ /,"",$c); print $c}')
    echo "| $1 | ${a:-?} | ${b:-?} |"
  }
  row "face renderer 256, s/frame (batch 2, long run)" "| 256 | cuda:0 fp32 | long" "| 256 | cuda:0 fp16 | long" 7
  row "face renderer 512, s/frame (batch 2, long run)" "| 512 | cuda:0 fp32 | long" "| 512 | cuda:0 fp16 | long" 7
  row "GFPGAN 512, s/frame (stage, long run)" "| cuda:0, fp32, stage, batch 4, 32" "| cuda:0, fp16, stage, batch 4, 32" 3
  row "GFPGAN 512, s/face (network only)" "| cuda:0, fp32, network only" "| cuda:0, fp16, network only" 3
  row "SD UNet 512, s/step (batch 2, mean)" "| this (UNet 512x512, batch 2, cuda:0, fp32)" "| this (UNet 512x512, batch 2, cuda:0, fp16)" 3
  e2e() { grep -A3 -- "--precision $1" "$out/bench.log" | grep -E "^\| 10" | head -1 | awk -F'|' '{gsub(/ /,"",$5); if ($5+0 > 0) printf "%.1f fps (%s s/frame)", 1/$5, $5}'; }
  echo "| end to end, 10 s clip, 256, GFPGAN | $(e2e fp32) | $(e2e fp16) |"
  echo
  echo "golden tests on the GPU: $goldens"
} | tee "$out/gpu-table.md"
